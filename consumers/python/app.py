"""A Python user's CDK app: the same stack as consumers/typescript/app.ts, against the built wheel.

    python consumers/python/app.py <outdir>
"""
import sys

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from cdk_bedrock_image_chat import (
    BedrockImageChat,
    BedrockModel,
    DatabaseOptions,
    FrontDoor,
    InternetEgress,
    LiteLLMOptions,
    ModelAccess,
    NetworkOptions,
    OpenWebUIOptions,
    TaskScaling,
    WebFirewall,
)

app = cdk.App(outdir=sys.argv[1] if len(sys.argv) > 1 else "cdk.out/consumer-python")
stack = cdk.Stack(app, "Consumer", env=cdk.Environment(account="111111111111", region="us-west-2"))
BedrockImageChat(
    stack,
    "Chat",
    network=NetworkOptions(egress=InternetEgress.NAT_GATEWAY),
    models=[
        BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL,
        BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL,
        BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1,
        BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2,
    ],
    front_door=FrontDoor.load_balancer(
        certificate=acm.Certificate.from_certificate_arn(
            stack, "Certificate", "arn:aws:acm:us-west-2:111111111111:certificate/consumer"
        ),
        allowed_cidrs=["203.0.113.0/24"],
        web_firewall=WebFirewall.managed_rules(rate_limit=1000),
    ),
    litellm=LiteLLMOptions(scaling=TaskScaling(min_tasks=1, max_tasks=3)),
    open_web_ui=OpenWebUIOptions(
        image_model=BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1,
        image_size="1024x576",
        admin_email="it@example.com",
        model_access=[ModelAccess(model=BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL, groups=["research"])],
    ),
    database=DatabaseOptions(multi_az=True),
)
app.synth()
