/**
 * One line for an error of an AWS call: what went wrong and what to do. The SDK has already
 * retried throttled calls (adaptive retries, five attempts) when one reaches here.
 */
export function describeAwsError(e: any, profile?: string): string {
  const name = String(e?.name ?? '');
  const message = String(e?.message ?? e).split('\n')[0];
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message) && name !== 'AccessDeniedException') {
    const why = profile !== undefined ? ` for profile ${profile}` : '';
    return `no AWS credentials found${why}: set AWS_PROFILE or pass --profile, run \`aws sso login\` or \`aws configure\`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException' || name === 'ExpiredTokenException') {
    return `AWS refused the credentials (${name}): they are invalid or expired; sign in again`;
  }
  if (name === 'AccessDeniedException' || name === 'UnauthorizedException' || e?.$metadata?.httpStatusCode === 403) {
    return `access denied (${message}): the CLI needs bedrock:ListFoundationModels, ListInferenceProfiles, ListProvisionedModelThroughputs, ListCustomModels and GetFoundationModelAvailability in this region`;
  }
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException') {
    return `Bedrock throttled the calls, still after retries (${message}); try again in a minute`;
  }
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN' || /getaddrinfo/.test(message)) {
    return `cannot reach Bedrock (${message}): check the region name (it is not served there or does not exist) and the network`;
  }
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ECONNRESET' || e?.code === 'ETIMEDOUT') {
    return `cannot reach Bedrock (${e.code}): check the network, a proxy or AWS_ENDPOINT_URL_BEDROCK`;
  }
  return `${name || 'Error'}: ${message}`;
}
