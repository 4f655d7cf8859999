"""The admin's content work: packs, story files, revisions, translations, media, previews.

Everything here goes through the content model (``kiosk.content``): the same loader and
validator the kiosk uses, the same bundles and PackStore as ``kiosk pack``. No Flask in the
modules below except ``workspace`` (which builds the context object the views share).
"""
