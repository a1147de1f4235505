// A Go user's CDK app: the same stack as consumers/typescript/app.ts, against the module built in
// dist/go (see .ci/consumers.sh and go.mod).
package main

import (
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-bedrock-image-chat/cdk-bedrock-image-chat-go/cdkbedrockimagechat"
)

func main() {
	defer jsii.Close()
	outdir := "cdk.out/consumer-go"
	if len(os.Args) > 1 {
		outdir = os.Args[1]
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
	stack := awscdk.NewStack(app, jsii.String("Consumer"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-west-2")},
	})
	cdkbedrockimagechat.NewBedrockImageChat(stack, jsii.String("Chat"), &cdkbedrockimagechat.BedrockImageChatProps{
		Network: &cdkbedrockimagechat.NetworkOptions{Egress: cdkbedrockimagechat.InternetEgress_NAT_GATEWAY},
		Models: &[]cdkbedrockimagechat.BedrockModel{
			cdkbedrockimagechat.BedrockModel_ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL(),
			cdkbedrockimagechat.BedrockModel_ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL(),
			cdkbedrockimagechat.BedrockModel_STABILITY_STABLE_IMAGE_ULTRA_V1_1(),
			cdkbedrockimagechat.BedrockModel_AMAZON_TITAN_EMBED_TEXT_V2(),
		},
		FrontDoor: cdkbedrockimagechat.FrontDoor_LoadBalancer(&cdkbedrockimagechat.LoadBalancerFrontDoorOptions{
			Certificate: awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Certificate"),
				jsii.String("arn:aws:acm:us-west-2:111111111111:certificate/consumer")),
			AllowedCidrs: jsii.Strings("203.0.113.0/24"),
			WebFirewall:  cdkbedrockimagechat.WebFirewall_ManagedRules(&cdkbedrockimagechat.ManagedRulesOptions{RateLimit: jsii.Number(1000)}),
		}),
		Litellm: &cdkbedrockimagechat.LiteLLMOptions{
			Scaling: &cdkbedrockimagechat.TaskScaling{MinTasks: jsii.Number(1), MaxTasks: jsii.Number(3)},
		},
		OpenWebUI: &cdkbedrockimagechat.OpenWebUIOptions{
			ImageModel: cdkbedrockimagechat.BedrockModel_STABILITY_STABLE_IMAGE_ULTRA_V1_1(),
			ImageSize:  jsii.String("1024x576"),
			AdminEmail: jsii.String("it@example.com"),
			ModelAccess: &[]*cdkbedrockimagechat.ModelAccess{
				{Model: cdkbedrockimagechat.BedrockModel_ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL(), Groups: jsii.Strings("research")},
			},
		},
		Database: &cdkbedrockimagechat.DatabaseOptions{MultiAz: jsii.Bool(true)},
	})
	app.Synth(nil)
}
