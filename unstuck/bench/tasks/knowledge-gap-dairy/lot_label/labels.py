def lot_label(batch):
    """The label on every crate of a batch."""
    return f"Batch {batch}"
