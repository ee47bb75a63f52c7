using System.Text.Json.Nodes;

namespace Disclosure.Deploy.Tests;

/// <summary>Every document under deploy/k8s against the Kubernetes schema of its kind.</summary>
public sealed class KubernetesManifestSchemaTests
{
    public static TheoryData<string, int> ManifestDocuments()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in ManifestFiles())
        {
            var count = Yaml.DocumentsOf(Path.Combine(Repository.K8s, file)).Count;
            for (var i = 0; i < count; i++)
            {
                data.Add(file, i);
            }
        }
        return data;
    }

    /// <summary>Manifests kubectl would apply; the kustomization is kustomize's own format.</summary>
    internal static IEnumerable<string> ManifestFiles() =>
        Directory.GetFiles(Repository.K8s, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.K8s, f).Replace('\\', '/'))
            .Where(f => f != "kustomization.yaml")
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(ManifestDocuments))]
    public void Manifest_Matches_The_Kubernetes_Schema_Of_Its_Kind(string file, int document)
    {
        var manifest = Yaml.DocumentsOf(Path.Combine(Repository.K8s, file))[document];

        var errors = KubernetesSchemas.Instance.Validate(manifest);

        Assert.True(errors.Count == 0, $"{file} #{document}:\n  " + string.Join("\n  ", errors));
    }

    [Fact]
    public void Manifests_Cover_Every_Kind_The_Province_Deployment_Needs()
    {
        var kinds = ManifestFiles()
            .SelectMany(f => Yaml.DocumentsOf(Path.Combine(Repository.K8s, f)))
            .Select(m => $"{m["apiVersion"]} {m["kind"]}")
            .ToHashSet();

        Assert.Subset(kinds, new HashSet<string>
        {
            "apps/v1 Deployment", "v1 Service", "v1 ConfigMap", "v1 Secret", "policy/v1 PodDisruptionBudget",
            "autoscaling/v2 HorizontalPodAutoscaler", "networking.k8s.io/v1 NetworkPolicy",
        });
    }

    const string ValidDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: probe
        spec:
          replicas: 2
          selector:
            matchLabels: { app: probe }
          template:
            metadata:
              labels: { app: probe }
            spec:
              containers:
                - name: api
                  image: example
                  env:
                    - name: MODE
                      value: "yes"
        """;

    [Fact]
    public void A_Valid_Deployment_Written_Inline_Passes()
    {
        var errors = KubernetesSchemas.Instance.Validate(Yaml.Documents(ValidDeployment).Single());

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("replicas: 2", "replica: 2", "/spec")]
    [InlineData("replicas: 2", "replicas: two", "/spec/replicas")]
    [InlineData("- name: api", "- ports: []", "/spec/template/spec/containers/0")]
    [InlineData("value: \"yes\"", "value: yes", "/spec/template/spec/containers/0/env/0/value")]
    [InlineData("apiVersion: apps/v1", "apiVersion: extensions/v1beta1", "")]
    [InlineData("matchLabels: { app: probe }", "matchLabels: [app, probe]", "/spec/selector/matchLabels")]
    public void A_Broken_Deployment_Is_Refused_At_The_Broken_Field(string valid, string broken, string path)
    {
        Assert.Contains(valid, ValidDeployment, StringComparison.Ordinal);
        var manifest = Yaml.Documents(ValidDeployment.Replace(valid, broken, StringComparison.Ordinal)).Single();

        var errors = KubernetesSchemas.Instance.Validate(manifest);

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.StartsWith(path, StringComparison.Ordinal) || path == "");
    }

    [Fact]
    public void A_Manifest_Without_Kind_Is_Refused()
    {
        var errors = KubernetesSchemas.Instance.Validate(JsonNode.Parse("""{ "apiVersion": "v1", "metadata": { "name": "x" } }""")!);

        Assert.Equal(["manifest has no apiVersion or kind"], errors);
    }

    [Fact]
    public void Kustomization_Lists_Every_Manifest_Except_The_Secret_Template()
    {
        var kustomization = Yaml.Single(Path.Combine(Repository.K8s, "kustomization.yaml"));
        var resources = kustomization["resources"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();

        Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(Repository.K8s, r)), $"{r} is listed but missing"));
        var expected = ManifestFiles().Where(f => !f.StartsWith("templates/", StringComparison.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), resources.Order(StringComparer.Ordinal));
        Assert.Equal("disclosure", kustomization["namespace"]!.GetValue<string>());
    }
}
