"""Code of the book "Optimization for Training Deep Models".

Each chapter has a module here (``basic_algorithms.py`` for chapter 3)
whose marked sections are included in the pages; ``problems.py``,
``data.py`` and ``models.py`` are shared by all chapters, and
``figures/`` holds one module per figure.
"""
