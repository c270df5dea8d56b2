"""The four layers of a distribution architecture, in the seed article's order."""

from __future__ import annotations

from enum import StrEnum


class Layer(StrEnum):
    """A layer of the architecture; the value is the file and JSON spelling."""

    CAPTURE = "capture"
    ROUTING = "routing"
    EXECUTION = "execution"
    FEEDBACK = "feedback"

    @property
    def title(self) -> str:  # type: ignore[override]  # str.title, shadowed on purpose
        return LAYER_TITLES[self]

    @property
    def index(self) -> int:  # type: ignore[override]  # str.index, shadowed on purpose
        return LAYERS.index(self)

    @classmethod
    def parse(cls, text: object) -> Layer:
        """Read a layer case-insensitively; raise ValueError naming the allowed values."""
        value = str(text).strip().casefold() if text is not None and not isinstance(text, bool) else ""
        if value in _NUMBERS:  # a spreadsheet's layer column often holds the layer's number, 1 to 4
            return LAYERS[_NUMBERS[value]]
        for layer in LAYERS:
            if layer.value == value or LAYER_TITLES[layer].casefold() == value:
                return layer
        allowed = ", ".join(layer.value for layer in LAYERS)
        shown = str(text).strip() if text is not None else ""
        raise ValueError(f"unknown layer {shown!r} (use one of: {allowed})")


LAYERS: tuple[Layer, ...] = (Layer.CAPTURE, Layer.ROUTING, Layer.EXECUTION, Layer.FEEDBACK)
LAYER_TITLES: dict[Layer, str] = {
    Layer.CAPTURE: "Signal capture",
    Layer.ROUTING: "Routing logic",
    Layer.EXECUTION: "Execution",
    Layer.FEEDBACK: "Feedback",
}
_NUMBERS: dict[str, int] = {text: n - 1 for n in range(1, 5) for text in (str(n), f"{n}.0")}
