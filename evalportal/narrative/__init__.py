"""Generated narrative text (pure): the sentences the app inserts into the reports, and heading numbers."""
from .generate import GENERATORS, attachment_list, generated_text
from .numbering import chinese_number, heading_number

__all__ = ["GENERATORS", "attachment_list", "chinese_number", "generated_text", "heading_number"]
