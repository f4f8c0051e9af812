"""Local models served on this machine (llama.cpp via xllamacpp): install, serve, embedded default."""
