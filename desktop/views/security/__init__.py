"""The exchange password in the GUI: the dialog that asks for it when a sealed
file is made or opened, and its section in 设置."""
