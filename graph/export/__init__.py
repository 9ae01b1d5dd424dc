"""Writing the graph out: the property-graph mapping and its writers (Neo4j push, neo4j-admin
CSV, Cypher script), and RDF. Import the writer you need from its module
(:mod:`.neo4j_push`, :mod:`.neo4j_csv`, :mod:`.cypher_script`, :mod:`.rdf`); none is imported
here, so that reading the graph never loads a driver."""
