"""Static matplotlib figures for each analysis (one module per analysis).

Figures are plain matplotlib, so an HTML export embeds them as images and a report reads
without a live kernel.
"""
