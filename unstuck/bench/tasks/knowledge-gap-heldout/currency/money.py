SYMBOL = "$"
