"""The app's data files: icons, the sample bulletin, the shipped fonts and (in a
wheel or the bundle) the user guide.

Installed as the package `liangxin_resources` (pyproject.toml maps this folder;
installer/wheel_build.py adds the guide and the fonts to the wheel), so
`importlib.resources.files("liangxin_resources")` finds it wherever the app is
installed. Read it through `desktop.paths.resource_path`, never by path.
"""
