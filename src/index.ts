export * from './bedrock-model';
export * from './private-bedrock-vpc';
export * from './service-options';
export * from './litellm-service';
export * from './open-webui-service';
export * from './bedrock-image-chat';
export * from './sign-in';
export * from './deployment-size';
