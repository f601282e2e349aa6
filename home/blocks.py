"""StreamField blocks shared by the home page and landing pages."""

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


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "home/blocks/image.html"
        description = "One image with an optional caption."


class ProductGridBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    products = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="catalog.ProductPage"), min_num=1
    )

    class Meta:
        icon = "list-ul"
        template = "home/blocks/product_grid.html"
        description = "Products you pick, shown as cards."


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    author = blocks.CharBlock(max_length=80)
    role = blocks.CharBlock(required=False, max_length=80)

    class Meta:
        icon = "openquote"
        template = "home/blocks/testimonial.html"
        description = "A customer's words and name."


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


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks editors compose home and landing pages from."""

    hero = HeroBlock()
    rich_text = blocks.RichTextBlock(
        icon="pilcrow",
        template="home/blocks/rich_text.html",
        description="Formatted text.",
    )
    image = ImageBlock()
    product_grid = ProductGridBlock()
    testimonial = TestimonialBlock()
    faq = FaqBlock()
    call_to_action = CallToActionBlock()
