using BenchmarkDotNet.Running;

// Every benchmark class in this assembly is reachable: pick with --filter, e.g. --filter '*Validate*'.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
