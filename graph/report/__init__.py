"""Reports about a build: the build report (:mod:`.build_report`) and dataset coverage
(:mod:`.coverage`)."""
