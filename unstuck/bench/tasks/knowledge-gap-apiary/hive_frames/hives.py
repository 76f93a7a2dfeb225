def hive_frames(boxes):
    """Frames to order for so many brood boxes, eleven each."""
    return boxes * 11
