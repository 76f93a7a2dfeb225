def churn_load(litres):
    """Kilograms of butter a churn gives from this much cream."""
    return litres * 0.4
