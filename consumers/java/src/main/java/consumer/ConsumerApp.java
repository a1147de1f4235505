package consumer;

import java.util.List;

import io.github.cdkbedrockimagechat.BedrockImageChat;
import io.github.cdkbedrockimagechat.BedrockModel;
import io.github.cdkbedrockimagechat.DatabaseOptions;
import io.github.cdkbedrockimagechat.FrontDoor;
import io.github.cdkbedrockimagechat.InternetEgress;
import io.github.cdkbedrockimagechat.LiteLLMOptions;
import io.github.cdkbedrockimagechat.LoadBalancerFrontDoorOptions;
import io.github.cdkbedrockimagechat.ManagedRulesOptions;
import io.github.cdkbedrockimagechat.ModelAccess;
import io.github.cdkbedrockimagechat.NetworkOptions;
import io.github.cdkbedrockimagechat.OpenWebUIOptions;
import io.github.cdkbedrockimagechat.TaskScaling;
import io.github.cdkbedrockimagechat.WebFirewall;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;

/** A Java user's CDK app: the same stack as consumers/typescript/app.ts. */
public final class ConsumerApp {
    private ConsumerApp() {}

    public static void main(final String[] args) {
        software.amazon.awscdk.App app = new software.amazon.awscdk.App(AppProps.builder().outdir(args.length > 0 ? args[0] : "cdk.out/consumer-java").build());
        Stack stack = new Stack(app, "Consumer", StackProps.builder()
            .env(Environment.builder().account("111111111111").region("us-west-2").build())
            .build());
        BedrockImageChat.Builder.create(stack, "Chat")
            .network(NetworkOptions.builder().egress(InternetEgress.NAT_GATEWAY).build())
            .models(List.of(
                BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL,
                BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL,
                BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1,
                BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2))
            .frontDoor(FrontDoor.loadBalancer(LoadBalancerFrontDoorOptions.builder()
                .certificate(Certificate.fromCertificateArn(stack, "Certificate", "arn:aws:acm:us-west-2:111111111111:certificate/consumer"))
                .allowedCidrs(List.of("203.0.113.0/24"))
                .webFirewall(WebFirewall.managedRules(ManagedRulesOptions.builder().rateLimit(1000).build()))
                .build()))
            .litellm(LiteLLMOptions.builder()
                .scaling(TaskScaling.builder().minTasks(1).maxTasks(3).build())
                .build())
            .openWebUi(OpenWebUIOptions.builder()
                .imageModel(BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1)
                .imageSize("1024x576")
                .adminEmail("it@example.com")
                .modelAccess(List.of(ModelAccess.builder()
                    .model(BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL)
                    .groups(List.of("research"))
                    .build()))
                .build())
            .database(DatabaseOptions.builder().multiAz(true).build())
            .build();
        app.synth();
    }
}
