"""The attack suite of issue 17: one case per attack, real files and real processes."""
