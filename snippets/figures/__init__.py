"""One module per figure; each exposes ``figure()`` -> matplotlib Figure.

The build calls ``figure()`` and saves the SVG; modules never save.
"""
