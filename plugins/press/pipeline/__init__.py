"""The Pelican side of the press: the steps that ``press.register()`` connects to Pelican's signals."""
