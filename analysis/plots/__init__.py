"""Static matplotlib figures for each analysis (one module per analysis).

Figures are plain matplotlib, so an HTML export embeds them as images and a report reads
without a live kernel. They use no layout engine (constrained or tight layout): a notebook
shows a figure through the inline backend, which crops it to its artists
(``bbox_inches="tight"``), and a layout pass on top of that doubled the time a report spends
drawing, the largest cost of a batch run. Save one with ``fig.savefig(path,
bbox_inches="tight")`` for the same result.
"""
