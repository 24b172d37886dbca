"""Command-line tools that build, check and export the book."""
