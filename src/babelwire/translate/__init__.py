"""Machine translation: the engine protocol, engines, and document translation."""
