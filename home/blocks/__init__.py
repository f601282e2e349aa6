"""StreamField blocks shared by the home page and landing pages."""

from wagtail import blocks

from .content import (
    CallToActionBlock,
    FaqBlock,
    HeroBlock,
    ImageBlock,
    ProductGridBlock,
    TestimonialBlock,
    link_block,
)
from .selling import (
    CountdownBlock,
    LogoStripBlock,
    PricingTableBlock,
    ProductSpotlightBlock,
    SignupBlock,
    VideoEmbedBlock,
)

__all__ = [
    "BaseStreamBlock",
    "CallToActionBlock",
    "CountdownBlock",
    "FaqBlock",
    "HeroBlock",
    "ImageBlock",
    "LogoStripBlock",
    "PricingTableBlock",
    "ProductGridBlock",
    "ProductSpotlightBlock",
    "SignupBlock",
    "TestimonialBlock",
    "VideoEmbedBlock",
    "link_block",
]


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks editors compose home and landing pages from."""

    hero = HeroBlock()
    rich_text = blocks.RichTextBlock(
        icon="pilcrow",
        template="home/blocks/rich_text.html",
        description="Formatted text.",
        preview_value="<p>Hand-picked kits with <b>lifetime updates</b>.</p>",
    )
    image = ImageBlock()
    product_grid = ProductGridBlock()
    product_spotlight = ProductSpotlightBlock()
    pricing_table = PricingTableBlock()
    video = VideoEmbedBlock()
    countdown = CountdownBlock()
    logo_strip = LogoStripBlock()
    signup = SignupBlock()
    testimonial = TestimonialBlock()
    faq = FaqBlock()
    call_to_action = CallToActionBlock()
