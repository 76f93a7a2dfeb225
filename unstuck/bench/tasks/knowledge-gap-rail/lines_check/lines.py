LINES = ["north", "south"]
