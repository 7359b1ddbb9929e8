"""Explorer tab: the article in its reconstructed order, beside the file order, and the analyst's
own order, which they can edit and save as the article's gold order."""

from __future__ import annotations

import html
import re
from pathlib import Path
import ipywidgets as widgets

from ..errors import GoldFormatError
from ..ordering import DEFAULT_METHOD, available_methods, evaluate, reorder
from ..ordering._report import reconstructed_html, side_by_side_html
from .._analysed import ArticleLike
from .._gold import gold_order, load_gold, save_gold_order
from ._base import ExplorerTab, error_html


def parse_typed_order(text: str, article: ArticleLike) -> tuple[int, ...]:
    """An order typed as seed-file line numbers (``"29 4 7 …"``, commas allowed), the numbering
    the reports show, as indices into ``article.sentences``.

    Raises:
        GoldFormatError: a token is not a number, names no body line, repeats one, or lines are left out.
    """
    numbers = article.file_lines
    index_of = {n: i for i, n in enumerate(numbers)}
    tokens = [t for t in re.split(r"[\s,;]+", text.strip()) if t]
    if not tokens:
        raise GoldFormatError("typed order: empty; give the seed-file lines in their original order")
    order = []
    for token in tokens:
        if not token.isdigit() or int(token) not in index_of:
            raise GoldFormatError(f"typed order: {token!r} is not a body line of this seed (lines {numbers[0]}-{numbers[-1]})")
        order.append(index_of[int(token)])
    repeated = sorted({numbers[i] for i in order if order.count(i) > 1})
    if repeated:
        raise GoldFormatError(f"typed order: line(s) {', '.join(map(str, repeated))} given more than once")
    missing = sorted(set(numbers) - {numbers[i] for i in order})
    if missing:
        raise GoldFormatError(f"typed order: line(s) {', '.join(map(str, missing))} missing; every body line must be placed")
    return tuple(order)


class ReorderTab(ExplorerTab):
    """Method picker; reconstructed prose with weak joins marked; metrics when a gold order is
    known; and *Your order*: move a sentence up or down (or type the order), see the model's
    metrics against it, and save it as the article's gold order."""

    title = "Reordering"
    accepts_gold = True

    def __init__(self, *, pipeline: str | None = None, gold: str | Path | None = None) -> None:
        super().__init__(pipeline=pipeline)
        # The file corrections are saved to; it need not exist yet.
        self.gold_path = Path(gold) if gold else None
        self.gold = load_gold(self.gold_path) if self.gold_path and self.gold_path.is_file() else {}
        methods = list(available_methods())
        self.method = widgets.Dropdown(
            options=methods, value=DEFAULT_METHOD if DEFAULT_METHOD in methods else methods[0], description="Method"
        ).add_class("nd-method")
        self.summary = widgets.HTML().add_class("nd-reorder-summary")
        self.prose = widgets.HTML().add_class("nd-reconstructed")
        self.comparison = widgets.HTML().add_class("nd-side-by-side")
        self.ordering = None
        self.method.observe(self.refresh, "value")

        # Your order: the analyst's correction, started from the gold order or the model's.
        self.working: list[int] = []
        self._working_for: str | None = None
        self.editor = widgets.Select(options=[], rows=12, layout=widgets.Layout(width="100%")).add_class("nd-order-editor")
        self.up = widgets.Button(description="Up", icon="arrow-up").add_class("nd-order-up")
        self.down = widgets.Button(description="Down", icon="arrow-down").add_class("nd-order-down")
        self.reset = widgets.Button(description="Model's order").add_class("nd-order-reset")
        self.typed = widgets.Text(placeholder="or type the seed-file lines in order, e.g. 29 4 7 …",
                                  layout=widgets.Layout(width="60%")).add_class("nd-order-typed")
        self.apply = widgets.Button(description="Use typed order").add_class("nd-order-apply")
        self.save = widgets.Button(description="Save as gold", button_style="success", icon="save").add_class("nd-order-save")
        self.versus = widgets.HTML().add_class("nd-order-metrics")
        self.saved = widgets.HTML().add_class("nd-order-status")
        self.up.on_click(lambda _: self.move(-1))
        self.down.on_click(lambda _: self.move(+1))
        self.reset.on_click(lambda _: self._set_working(list(self.ordering.order) if self.ordering else []))
        self.apply.on_click(lambda _: self.use_typed())
        self.save.on_click(lambda _: self.save_gold())
        if self.gold_path is None:
            self.save.disabled, self.save.tooltip = True, "no gold file: open the explorer on a folder of seeds"
        corrections = widgets.VBox([
            widgets.HTML("<h4 style='margin:.4rem 0'>Your order</h4>"),
            self.editor,
            widgets.HBox([self.up, self.down, self.reset, self.save]),
            widgets.HBox([self.typed, self.apply]),
            self.versus,
            self.saved,
        ]).add_class("nd-corrections")
        self._widget = widgets.VBox([
            # One above the other: the comparison's two sentence columns need the tab's width.
            self.method, self.error, self.summary, self.prose, self.comparison, corrections,
        ])

    @property
    def widget(self) -> widgets.Widget:
        return self._widget

    def render(self, article: ArticleLike) -> None:
        method = self.method.value
        ordering = self.cached((article.sha256, method), lambda: reorder(article, method=method))
        self.ordering = ordering
        gold = self._gold_of(article)
        line = f"<b>{html.escape(method)}</b>: confidence {ordering.confidence:.2f}"
        if gold is not None:
            m = evaluate(ordering.order, gold)
            line += (
                f" · Kendall's tau {m.kendall_tau:.2f} · perfect match {m.perfect_match:.0f}"
                f" · positional accuracy {m.positional_accuracy:.2f} · first sentence {'right' if m.first_sentence_accuracy else 'wrong'}"
            )
        else:
            line += " · no gold order for this article"
        self.summary.value = f"<p>{line}</p>"
        self.prose.value = reconstructed_html(article, ordering)
        self.comparison.value = side_by_side_html(article, ordering, gold)
        if self._working_for != article.sha256:  # a new article: start from its gold, else the model
            self._working_for = article.sha256
            self.saved.value = ""
            self._set_working(list(gold if gold is not None else ordering.order))
        else:
            self._show_working()

    def _gold_of(self, article: ArticleLike) -> tuple[int, ...] | None:
        return gold_order(article, self.gold[article.id]) if article.id in self.gold else None

    # -- the analyst's order -------------------------------------------------------------
    def _set_working(self, order: list[int], *, selected: int | None = None) -> None:
        self.working = list(order)
        self._show_working(selected)

    def _show_working(self, selected: int | None = None) -> None:
        article = self.article
        if article is None:
            return
        numbers = article.file_lines
        options = [(f"{k + 1:>2}. line {numbers[i]}: {article.sentences[i][:110]}", i) for k, i in enumerate(self.working)]
        keep = selected if selected is not None else self.editor.value
        self.editor.options = options
        self.editor.value = keep if keep in self.working else (self.working[0] if self.working else None)
        self.typed.value = " ".join(str(numbers[i]) for i in self.working)
        if self.ordering is not None and self.working:
            m = evaluate(self.ordering.order, self.working)
            self.versus.value = (
                f"<p>The model ({html.escape(self.method.value)}) against your order: Kendall's tau {m.kendall_tau:.2f}"
                f" · positional accuracy {m.positional_accuracy:.2f}"
                f" · first sentence {'right' if m.first_sentence_accuracy else 'wrong'}</p>"
            )

    def move(self, step: int) -> None:
        """Move the selected sentence ``step`` places (-1 up, +1 down) in your order."""
        if self.editor.value is None or self.editor.value not in self.working:
            return
        k = self.working.index(self.editor.value)
        j = min(max(k + step, 0), len(self.working) - 1)
        order = list(self.working)
        order.insert(j, order.pop(k))
        self._set_working(order, selected=self.editor.value)

    def use_typed(self) -> None:
        """Take your order from the text box (seed-file lines, first sentence first)."""
        self.saved.value = ""
        try:
            self._set_working(list(parse_typed_order(self.typed.value, self.article)))
        except GoldFormatError as exc:
            self.saved.value = error_html(exc)

    def save_gold(self) -> Path | None:
        """Save your order as the article's gold order (atomic; other articles' records kept); the
        batch and the reordering notebook then report against it."""
        if self.gold_path is None or self.article is None:
            return None
        try:
            path = save_gold_order(self.gold_path, self.article, self.working)
        except GoldFormatError as exc:
            self.saved.value = error_html(exc)
            return None
        self.gold = load_gold(path)
        self.refresh()
        self.saved.value = (f"<p>Saved as the gold order of <b>{html.escape(self.article.id)}</b> in "
                            f"<code>{html.escape(str(path))}</code>.</p>")
        return path
