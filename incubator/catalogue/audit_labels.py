"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.catalogue.enums import RevisionStatus


def register() -> None:
    audit.register_object("product_entries", _l("Catalogue product"))
    audit.register_object("product_groups", _l("Product group"))
    audit.register_states("product_entries", RevisionStatus)
    audit.register_actions({
        "product.propose": _l("Catalogue product change proposed"),
        "product.approve": _l("Catalogue product change approved"),
        "product.refuse": _l("Catalogue product change refused"),
        "product.list": _l("Consent to be listed given"),
        "product.unlist": _l("Consent to be listed withdrawn"),
        "product.message": _l("Message sent to the business from the catalogue"),
        "product_group.create": _l("Product group added"),
        "product_group.update": _l("Product group changed"),
    })
