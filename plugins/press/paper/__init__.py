"""The paper as its readers meet it.

What each language's edition lists, the front page's editorial order, interface strings and locale
data, script-aware typography and calendars, the mirrors page, and the search filters' stable order.
No Pelican here.
"""
