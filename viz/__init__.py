"""Pictures of the graph: the interactive pyvis landscape map."""
