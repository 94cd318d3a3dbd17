"""cupure's benchmarks: ``python -m bench [--data DIR]`` runs every bench/<name>.py exposing ``run(args)``."""
