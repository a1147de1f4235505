import { createHash } from 'crypto';
import { Arn, ArnFormat, Names, Stack, Token } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { Construct } from 'constructs';

/**
 * How strongly a content filter of a new guardrail blocks: the higher, the more it blocks,
 * harmless text included. See "Block harmful words and conversations with content filters" in
 * the Bedrock user guide.
 */
export enum GuardrailFilterStrength {
  /** Blocks content classified as harmful with high confidence only. */
  LOW = 'LOW',
  /** Blocks content classified as harmful with high or medium confidence. */
  MEDIUM = 'MEDIUM',
  /** Blocks content classified as harmful with high, medium or low confidence. */
  HIGH = 'HIGH',
}

/** What a new guardrail does with a piece of sensitive information it finds. */
export enum SensitiveInformationAction {
  /** Refuses the whole message, as a content filter does. */
  BLOCK = 'BLOCK',
  /** Replaces the information with its type (`{EMAIL}`) and lets the rest through. */
  ANONYMIZE = 'ANONYMIZE',
}

/**
 * A kind of sensitive information a new guardrail looks for, and what it does with it.
 */
export interface SensitiveInformation {
  /**
   * Bedrock's name of the information type, for example `EMAIL`, `PHONE`,
   * `CREDIT_DEBIT_CARD_NUMBER` or `US_SOCIAL_SECURITY_NUMBER` (the `PiiEntityConfig` types of the
   * Bedrock API reference).
   */
  readonly type: string;

  /** Block the message, or anonymize the information. */
  readonly action: SensitiveInformationAction;
}

/**
 * A subject a new guardrail refuses to talk about, however it is asked.
 */
export interface DeniedTopic {
  /** A short name (up to 100 letters, digits, spaces, `-`, `_`, `!`, `?` and `.`), for example `Investment advice`. */
  readonly name: string;

  /**
   * What the topic is, in up to 200 characters, as a statement (not "Do not ..."): for example
   * `Recommendations on which stocks, funds or other assets to buy or sell.`
   */
  readonly definition: string;

  /**
   * Up to five prompts of the topic (up to 100 characters each), which help the guardrail
   * recognize it.
   *
   * @default - none
   */
  readonly examples?: string[];
}

/**
 * Properties of a new guardrail ({@link BedrockGuardrail.create}).
 */
export interface NewBedrockGuardrailProps {
  /**
   * The strength of the filters for hate, insults, sexual content, violence and misconduct, on
   * what users send and on what models answer.
   *
   * @default GuardrailFilterStrength.MEDIUM
   */
  readonly contentFilterStrength?: GuardrailFilterStrength;

  /**
   * The strength of the prompt-attack filter (jailbreaks, prompt injection), on what users send.
   *
   * @default GuardrailFilterStrength.HIGH
   */
  readonly promptAttackStrength?: GuardrailFilterStrength;

  /**
   * Subjects the app refuses to discuss (up to 30).
   *
   * @default - none
   */
  readonly deniedTopics?: DeniedTopic[];

  /**
   * Sensitive information to block or anonymize, in what users send and in what models answer.
   *
   * @default - none
   */
  readonly sensitiveInformation?: SensitiveInformation[];

  /**
   * What users see instead of an answer when the guardrail refuses their message (up to 500 characters).
   *
   * @default 'Sorry, this request is not allowed by the content policy of this app.'
   */
  readonly blockedInputMessage?: string;

  /**
   * What users see instead of a model's answer that the guardrail refuses (up to 500 characters).
   *
   * @default 'Sorry, the answer was withheld by the content policy of this app.'
   */
  readonly blockedOutputMessage?: string;
}

/**
 * An existing guardrail ({@link BedrockGuardrail.fromGuardrailId}).
 */
export interface ExistingBedrockGuardrailProps {
  /** The guardrail's id (`abcd1234efgh`) or ARN, in the stack's account and region. */
  readonly guardrailId: string;

  /**
   * The version to apply: the number of a published version (`'1'`), or `'DRAFT'` for the working
   * draft (which changes whenever someone edits the guardrail: not for production).
   */
  readonly guardrailVersion: string;

  /**
   * Whether the guardrail anonymizes sensitive information. The proxy then waits for a chat
   * model's whole answer and passes it on with the information masked, instead of passing it on
   * in checked pieces as it streams (a guardrail that only blocks needs no wait).
   *
   * @default false
   */
  readonly anonymizesSensitiveInformation?: boolean;
}

/**
 * The guardrail a proxy applies, as {@link BedrockGuardrail.bind} returns it.
 */
export interface BedrockGuardrailConfig {
  /** The id (or ARN) the proxy sends to ApplyGuardrail. */
  readonly guardrailId: string;

  /** The version the proxy applies. */
  readonly guardrailVersion: string;

  /** The ARN the proxy's task role may call `bedrock:ApplyGuardrail` on. */
  readonly guardrailArn: string;

  /**
   * Whether the guardrail anonymizes sensitive information: the proxy then waits for a chat
   * model's whole answer to mask it, rather than passing it on in checked pieces.
   */
  readonly anonymizes: boolean;
}

const DEFAULT_BLOCKED_INPUT = 'Sorry, this request is not allowed by the content policy of this app.';
const DEFAULT_BLOCKED_OUTPUT = 'Sorry, the answer was withheld by the content policy of this app.';
const CONTENT_FILTERS = ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT'];

/** The sensitive information types of Bedrock's `PiiEntityConfig`. */
export const SENSITIVE_INFORMATION_TYPES: readonly string[] = [
  'ADDRESS', 'AGE', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'CA_HEALTH_NUMBER', 'CA_SOCIAL_INSURANCE_NUMBER',
  'CREDIT_DEBIT_CARD_CVV', 'CREDIT_DEBIT_CARD_EXPIRY', 'CREDIT_DEBIT_CARD_NUMBER', 'DRIVER_ID', 'EMAIL',
  'INTERNATIONAL_BANK_ACCOUNT_NUMBER', 'IP_ADDRESS', 'LICENSE_PLATE', 'MAC_ADDRESS', 'NAME', 'PASSWORD', 'PHONE', 'PIN',
  'SWIFT_CODE', 'UK_NATIONAL_HEALTH_SERVICE_NUMBER', 'UK_NATIONAL_INSURANCE_NUMBER', 'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER',
  'URL', 'USERNAME', 'US_BANK_ACCOUNT_NUMBER', 'US_BANK_ROUTING_NUMBER', 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER',
  'US_PASSPORT_NUMBER', 'US_SOCIAL_SECURITY_NUMBER', 'VEHICLE_IDENTIFICATION_NUMBER',
];

/**
 * An Amazon Bedrock guardrail that the LiteLLM proxy applies (ApplyGuardrail) to what users send,
 * before any model sees it, and to what chat models answer, before users see it.
 *
 * The proxy checks every chat message (with its history), every image prompt and the text of
 * documents sent for embedding; a refused message never reaches a model, and the user sees the
 * guardrail's blocked message as the answer. Streamed answers are checked as they arrive and
 * passed on in checked pieces, so a refused answer never reaches the user. Each check is billed by
 * Bedrock per text unit (1,000 characters) and policy.
 */
export abstract class BedrockGuardrail {
  /**
   * A new guardrail, created with the deployment: harmful-content filters (hate, insults, sexual,
   * violence, misconduct) at `MEDIUM` and the prompt-attack filter at `HIGH` by default, with
   * optional denied topics and sensitive information. Each change to its settings publishes a new
   * version, which the proxy applies.
   */
  public static create(props: NewBedrockGuardrailProps = {}): BedrockGuardrail {
    return new NewGuardrail(props);
  }

  /**
   * A guardrail that exists already (made in the console or another stack), by id or ARN and version.
   */
  public static fromGuardrailId(props: ExistingBedrockGuardrailProps): BedrockGuardrail {
    return new ExistingGuardrail(props);
  }

  /**
   * Creates what the guardrail needs in `scope` (the guardrail and its version, for `create`) and
   * returns what the proxy applies.
   */
  public abstract bind(scope: Construct): BedrockGuardrailConfig;
}

/** A guardrail by id or ARN and version. */
class ExistingGuardrail extends BedrockGuardrail {
  constructor(private readonly props: ExistingBedrockGuardrailProps) {
    super();
    checkVersion(props.guardrailVersion);
    const id = props.guardrailId;
    if (!Token.isUnresolved(id) && !/^[a-z0-9]{1,64}$/.test(id) && !GUARDRAIL_ARN.test(id)) {
      throw new Error(
        `guardrailId is '${id}', which is neither a guardrail id nor a guardrail ARN; use the id the console shows (for example 'abcd1234efgh') ` +
        "or the ARN 'arn:aws:bedrock:<region>:<account>:guardrail/<id>'",
      );
    }
  }

  public bind(scope: Construct): BedrockGuardrailConfig {
    const stack = Stack.of(scope);
    const { guardrailId: id, guardrailVersion: version } = this.props;
    if (!Token.isUnresolved(id) && GUARDRAIL_ARN.test(id)) {
      const region = Arn.split(id, ArnFormat.SLASH_RESOURCE_NAME).region;
      if (!Token.isUnresolved(stack.region) && region !== stack.region) {
        throw new Error(
          `guardrailId is '${id}', a guardrail in ${region}; the proxy calls ApplyGuardrail through the VPC endpoint of its own region (${stack.region}), ` +
          `so use a guardrail in ${stack.region}`,
        );
      }
      return { guardrailId: id, guardrailVersion: version, guardrailArn: id, anonymizes: this.props.anonymizesSensitiveInformation ?? false };
    }
    const guardrailArn = stack.formatArn({ service: 'bedrock', resource: 'guardrail', resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    return { guardrailId: id, guardrailVersion: version, guardrailArn, anonymizes: this.props.anonymizesSensitiveInformation ?? false };
  }
}

const GUARDRAIL_ARN = /^arn:aws(-[a-z]+)*:bedrock:[a-z0-9-]+:\d{12}:guardrail\/[a-z0-9]+$/;

function checkVersion(version: string): void {
  if (!Token.isUnresolved(version) && !/^([1-9]\d{0,7}|DRAFT)$/.test(version)) {
    throw new Error(
      `guardrailVersion is '${version}', which is neither a version number nor DRAFT; give the number of a published version (for example '1'), ` +
      'or DRAFT for the working draft (it changes whenever the guardrail is edited: not for production)',
    );
  }
}

/** A guardrail created with the deployment. */
class NewGuardrail extends BedrockGuardrail {
  constructor(private readonly props: NewBedrockGuardrailProps) {
    super();
    checkNewGuardrail(props);
  }

  public bind(scope: Construct): BedrockGuardrailConfig {
    const p = this.props;
    const contentStrength = p.contentFilterStrength ?? GuardrailFilterStrength.MEDIUM;
    const properties: bedrock.CfnGuardrailProps = {
      name: `${Names.uniqueResourceName(scope, { maxLength: 40 })}-guardrail`,
      description: 'Applied by the LiteLLM proxy of cdk-bedrock-image-chat to what users send and what models answer.',
      blockedInputMessaging: p.blockedInputMessage ?? DEFAULT_BLOCKED_INPUT,
      blockedOutputsMessaging: p.blockedOutputMessage ?? DEFAULT_BLOCKED_OUTPUT,
      contentPolicyConfig: {
        filtersConfig: [
          ...CONTENT_FILTERS.map((type) => ({ type, inputStrength: contentStrength, outputStrength: contentStrength })),
          // Bedrock applies the prompt-attack filter to input only: its output strength must be NONE.
          { type: 'PROMPT_ATTACK', inputStrength: p.promptAttackStrength ?? GuardrailFilterStrength.HIGH, outputStrength: 'NONE' },
        ],
      },
      ...(p.deniedTopics?.length ? {
        topicPolicyConfig: {
          topicsConfig: p.deniedTopics.map((t) => ({ name: t.name, definition: t.definition, examples: t.examples, type: 'DENY' })),
        },
      } : {}),
      ...(p.sensitiveInformation?.length ? {
        sensitiveInformationPolicyConfig: { piiEntitiesConfig: p.sensitiveInformation.map((s) => ({ type: s.type, action: s.action })) },
      } : {}),
    };
    const guardrail = new bedrock.CfnGuardrail(scope, 'Guardrail', properties);
    // A version is a snapshot: a new one (a replacement, named by the settings' hash) follows
    // every change of the settings, and the proxy moves to it in the same deployment.
    const settings = createHash('sha256').update(JSON.stringify(Stack.of(scope).resolve(properties))).digest('hex').substring(0, 12);
    const version = new bedrock.CfnGuardrailVersion(scope, 'GuardrailVersion', {
      guardrailIdentifier: guardrail.attrGuardrailId,
      description: `Settings ${settings}`,
    });
    return {
      guardrailId: guardrail.attrGuardrailId,
      guardrailVersion: version.attrVersion,
      guardrailArn: guardrail.attrGuardrailArn,
      anonymizes: (p.sensitiveInformation ?? []).some((s) => s.action === SensitiveInformationAction.ANONYMIZE),
    };
  }
}

/** Checks the settings of a new guardrail against Bedrock's limits, naming the prop as written. */
function checkNewGuardrail(p: NewBedrockGuardrailProps): void {
  const text = (prop: string, value: string | undefined, max: number) => {
    if (value !== undefined && !Token.isUnresolved(value) && (value.trim() === '' || value.length > max)) {
      throw new Error(`${prop} is ${JSON.stringify(value)}; give 1 to ${max} characters`);
    }
  };
  text('blockedInputMessage', p.blockedInputMessage, 500);
  text('blockedOutputMessage', p.blockedOutputMessage, 500);
  const strengths = Object.values(GuardrailFilterStrength) as string[];
  for (const [prop, value] of [['contentFilterStrength', p.contentFilterStrength], ['promptAttackStrength', p.promptAttackStrength]] as const) {
    if (value !== undefined && !strengths.includes(value)) {
      throw new Error(`${prop} is '${value}'; use GuardrailFilterStrength.LOW, MEDIUM or HIGH`);
    }
  }
  const topics = p.deniedTopics ?? [];
  if (topics.length > 30) throw new Error(`deniedTopics has ${topics.length} topics; a guardrail takes at most 30`);
  topics.forEach((t, i) => {
    if (!Token.isUnresolved(t.name) && !/^[0-9a-zA-Z\-_ !?.]{1,100}$/.test(t.name)) {
      throw new Error(`deniedTopics[${i}].name is ${JSON.stringify(t.name)}; use 1 to 100 letters, digits, spaces and - _ ! ? .`);
    }
    text(`deniedTopics[${i}].definition`, t.definition, 200);
    if (t.definition === undefined) throw new Error(`deniedTopics[${i}].definition is missing; say what the topic is in up to 200 characters`);
    if ((t.examples ?? []).length > 5) throw new Error(`deniedTopics[${i}].examples has ${t.examples!.length} examples; give at most 5`);
    (t.examples ?? []).forEach((e, j) => text(`deniedTopics[${i}].examples[${j}]`, e, 100));
  });
  const seen = new Set<string>();
  (p.sensitiveInformation ?? []).forEach((s, i) => {
    if (!SENSITIVE_INFORMATION_TYPES.includes(s.type)) {
      throw new Error(`sensitiveInformation[${i}].type is '${s.type}', which Bedrock does not know; use one of ${SENSITIVE_INFORMATION_TYPES.join(', ')}`);
    }
    if (!(Object.values(SensitiveInformationAction) as string[]).includes(s.action)) {
      throw new Error(`sensitiveInformation[${i}].action is '${s.action}'; use SensitiveInformationAction.BLOCK or ANONYMIZE`);
    }
    if (seen.has(s.type)) throw new Error(`sensitiveInformation lists ${s.type} twice; give each type once`);
    seen.add(s.type);
  });
}
