print("shouwang")
