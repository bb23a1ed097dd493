from policies.models.taxonomy import Category, Tag

__all__ = ["Category", "Tag"]
