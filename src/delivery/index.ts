export { Environment, EnvironmentProps } from './environment';
export { EnvironmentChart, EnvironmentChartProps, IAppDefinition } from './environment-chart';
export { ArtifactDockerfile, ArtifactDockerfileOptions } from './artifact-dockerfile';
export { GitlabPipeline, GitlabPipelineOptions, GitlabPipelineProps, ImageBuildTool, ToolImages } from './gitlab-pipeline';
export { Delivery, DeliveryProps } from './delivery';
