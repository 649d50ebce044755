import { App } from 'aws-cdk-lib';
import { definePresslineApp } from './pressline-stack.js';

// `cdk synth` / `cdk deploy` run this (cdk.json "app"). Options: README, "Deploy".
const app = new App();
definePresslineApp(app);
app.synth();
