"""The Draftail editor's widget, tolerant of a form posted with HTML instead of JSON.

Draftail posts its content as contentstate JSON; a client that posts raw HTML (a
script, an old form) made ``json.loads`` fail inside the widget: a 500. Such a value
is read as HTML and passed through the editor's own converter both ways, so it is
kept with exactly the features the editor allows (a ``<script>`` does not survive).
"""

from __future__ import annotations

import json

from wagtail.admin.rich_text import DraftailRichTextArea


class LenientDraftailRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        original_value = data.get(name)
        if original_value is None:
            return None
        try:
            json.loads(original_value)
        except ValueError:
            contentstate = self.converter.from_database_format(original_value)
            return self.converter.to_database_format(contentstate)
        return super().value_from_datadict(data, files, name)
