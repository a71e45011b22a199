"""Engines, one file each. Register new ones in babelwire.translate.registry."""
