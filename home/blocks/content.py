"""Content blocks: text, images, product grids, testimonials, FAQ, calls to action."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


def link_block(required: bool = True) -> blocks.CharBlock:
    # A path on this site (/products/) or a full URL: URLBlock refuses the former.
    return blocks.CharBlock(
        required=required, max_length=255, help_text="/products/ or https://…"
    )


class HeroBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    image = ImageChooserBlock(required=False)
    button_text = blocks.CharBlock(required=False, max_length=40)
    button_link = link_block(required=False)

    class Meta:
        icon = "pick"
        template = "home/blocks/hero.html"
        label = "Hero"
        description = "A large heading with text, an image and one button."
        preview_value = {
            "heading": "Launch week: save on starters",
            "text": "Everything you need to ship your next project.",
            "button_text": "See all products",
            "button_link": "/products/",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "home/blocks/image.html"
        description = "One image with an optional caption."

    def get_preview_value(self):
        from wagtail.images import get_image_model

        image = get_image_model().objects.order_by("pk").first()
        return self.normalize({"image": image, "caption": "A caption under it."})


class ProductGridBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    products = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="catalog.ProductPage"), min_num=1
    )

    class Meta:
        icon = "list-ul"
        template = "home/blocks/product_grid.html"
        description = "Products you pick, shown as cards."

    def get_preview_value(self):
        from catalog.models import ProductPage

        products = list(ProductPage.objects.live().order_by("pk")[:3])
        return self.normalize({"heading": "Picked for you", "products": products})


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    author = blocks.CharBlock(max_length=80)
    role = blocks.CharBlock(required=False, max_length=80)

    class Meta:
        icon = "openquote"
        template = "home/blocks/testimonial.html"
        description = "A customer's words and name."
        preview_value = {
            "quote": "Bought once, and it keeps getting better.",
            "author": "Priya N.",
            "role": "Freelance developer",
        }


class FaqBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, default="FAQ")
    items = blocks.ListBlock(
        blocks.StructBlock(
            [("question", blocks.CharBlock()), ("answer", blocks.RichTextBlock())]
        )
    )

    class Meta:
        icon = "help"
        template = "home/blocks/faq.html"
        description = "Questions and answers that open on click."
        preview_value = {
            "heading": "FAQ",
            "items": [
                {"question": "Do I get updates?", "answer": "<p>Yes, every one.</p>"}
            ],
        }


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    button_text = blocks.CharBlock(max_length=40)
    button_link = link_block()

    class Meta:
        icon = "link"
        template = "home/blocks/call_to_action.html"
        label = "Call to action"
        description = "A heading, a sentence and a button."
        preview_value = {
            "heading": "Ready?",
            "text": "Pick a starter and ship this week.",
            "button_text": "Browse products",
            "button_link": "/products/",
        }
