def format_price(amount):
    """A price as the harbour shop shows it."""
    return f"${amount:.2f}"
