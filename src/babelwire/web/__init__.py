"""The published site: pages, feeds and (later) the API. It reads the store and nothing else."""
