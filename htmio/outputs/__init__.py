"""The output functions by concept; users import them from ``htmio.output``, which re-exports them."""
