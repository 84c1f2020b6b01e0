"""The teaching page (`mnp viz`): Mesa's SolaraViz over the MNP model.

`controls` turns the page's sliders into a scenario, `charts` draws the live
charts, `app` assembles the page, `server` starts it.
"""
