using System.Text.Json.Nodes;

namespace Disclosure.Deploy.Tests;

/// <summary>What the schema cannot say: the operational promises of deploy/k8s, and that its parts fit together.</summary>
public sealed class KubernetesDeploymentPolicyTests
{
    static JsonNode Load(string file, string? kind = null) =>
        Yaml.DocumentsOf(Path.Combine(Repository.K8s, file)).Single(m => kind is null || m["kind"]!.GetValue<string>() == kind);

    static readonly JsonNode Deployment = Load("deployment.yaml");
    static JsonNode PodSpec => Deployment["spec"]!["template"]!["spec"]!;
    static JsonNode Api => PodSpec["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "api")!;
    static JsonObject PodLabels => Deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();

    static bool Selects(JsonNode? matchLabels, JsonObject labels) =>
        matchLabels is JsonObject wanted && wanted.Count > 0 &&
        wanted.All(kv => labels.TryGetPropertyValue(kv.Key, out var v) && v?.ToString() == kv.Value?.ToString());

    [Fact]
    public void Deployment_Runs_At_Least_Two_Replicas_That_Never_Dip_During_A_Rollout()
    {
        Assert.True(Deployment["spec"]!["replicas"]!.GetValue<long>() >= 2);
        Assert.Equal(0, Deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<long>());
        Assert.True(Selects(Deployment["spec"]!["selector"]!["matchLabels"], PodLabels));
    }

    [Fact]
    public void Readiness_Asks_The_Store_And_Liveness_Does_Not()
    {
        Assert.Equal("/health/ready", Api["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/health/live", Api["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("http", Api["readinessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
        Assert.Contains(Api["ports"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "http" && p["containerPort"]!.GetValue<long>() == 8080);
    }

    [Fact]
    public void Pod_Runs_Non_Root_On_A_Read_Only_Root_With_No_Capabilities()
    {
        Assert.True(PodSpec["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(1654, PodSpec["securityContext"]!["runAsUser"]!.GetValue<long>());
        Assert.Equal("RuntimeDefault", PodSpec["securityContext"]!["seccompProfile"]!["type"]!.GetValue<string>());
        var container = Api["securityContext"]!;
        Assert.True(container["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(container["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.Equal(["ALL"], container["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.False(PodSpec["automountServiceAccountToken"]!.GetValue<bool>());
    }

    [Fact]
    public void Only_Tmp_And_The_Secrets_Are_Mounted_And_Tmp_Is_An_EmptyDir()
    {
        var mounts = Api["volumeMounts"]!.AsArray().ToDictionary(m => m!["mountPath"]!.GetValue<string>(), m => m!["name"]!.GetValue<string>());
        Assert.Equal(["/run/secrets", "/tmp"], mounts.Keys.Order(StringComparer.Ordinal));
        var volumes = PodSpec["volumes"]!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>());
        Assert.NotNull(volumes[mounts["/tmp"]]!["emptyDir"]);
        Assert.Equal("disclosure-api", volumes[mounts["/run/secrets"]]!["secret"]!["secretName"]!.GetValue<string>());
    }

    [Fact]
    public void Container_Has_Requests_And_Limits()
    {
        var resources = Api["resources"]!;
        foreach (var part in new[] { "requests", "limits" })
        {
            Assert.NotNull(resources[part]!["cpu"]);
            Assert.NotNull(resources[part]!["memory"]);
        }
    }

    [Fact]
    public void Grace_Period_Covers_The_PreStop_Pause_And_The_Hosts_Shutdown_Timeout()
    {
        const long aspNetShutdownTimeoutSeconds = 30;
        var preStop = Api["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!.GetValue<long>();
        var grace = PodSpec["terminationGracePeriodSeconds"]!.GetValue<long>();

        Assert.True(preStop >= 5, "endpoint removal needs a few seconds to reach proxies and the ingress");
        Assert.True(grace > preStop + aspNetShutdownTimeoutSeconds, $"grace {grace}s <= preStop {preStop}s + {aspNetShutdownTimeoutSeconds}s drain");
    }

    [Fact]
    public void Service_Budget_And_Autoscaler_Point_At_The_Api_Pods()
    {
        var service = Load("service.yaml");
        Assert.True(Selects(service["spec"]!["selector"], PodLabels));
        Assert.Equal("http", service["spec"]!["ports"]![0]!["targetPort"]!.GetValue<string>());

        var pdb = Load("pdb.yaml");
        Assert.True(Selects(pdb["spec"]!["selector"]!["matchLabels"], PodLabels));
        Assert.Equal(1, pdb["spec"]!["maxUnavailable"]!.GetValue<long>());

        var hpa = Load("hpa.yaml");
        Assert.Equal("Deployment", hpa["spec"]!["scaleTargetRef"]!["kind"]!.GetValue<string>());
        Assert.Equal(Deployment["metadata"]!["name"]!.GetValue<string>(), hpa["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>());
        Assert.True(hpa["spec"]!["minReplicas"]!.GetValue<long>() >= 2);
        Assert.True(hpa["spec"]!["maxReplicas"]!.GetValue<long>() > hpa["spec"]!["minReplicas"]!.GetValue<long>());
    }

    [Fact]
    public void Only_Api_Pods_And_Members_Reach_MongoDB()
    {
        var mongo = Yaml.DocumentsOf(Path.Combine(Repository.K8s, "networkpolicy.yaml"))
            .Single(p => p["metadata"]!["name"]!.GetValue<string>() == "disclosure-mongodb");
        var memberLabels = mongo["spec"]!["podSelector"]!["matchLabels"]!.AsObject();

        var rule = mongo["spec"]!["ingress"]!.AsArray().Single()!;
        var peers = rule["from"]!.AsArray().Select(p => p!).ToList();
        Assert.All(peers, p => Assert.Null(p["namespaceSelector"]));
        Assert.All(peers, p => Assert.Null(p["ipBlock"]));
        Assert.Contains(peers, p => Selects(p["podSelector"]!["matchLabels"], PodLabels));
        Assert.All(peers, p => Assert.True(
            Selects(p["podSelector"]!["matchLabels"], PodLabels) || Selects(p["podSelector"]!["matchLabels"], memberLabels)));
        Assert.Equal([27017L], rule["ports"]!.AsArray().Select(p => p!["port"]!.GetValue<long>()));
    }

    [Fact]
    public void Api_Is_Reached_Only_From_The_Ingress_Controller_Whose_Forwarded_Address_It_Trusts()
    {
        var api = Yaml.DocumentsOf(Path.Combine(Repository.K8s, "networkpolicy.yaml"))
            .Single(p => p["metadata"]!["name"]!.GetValue<string>() == "disclosure-api");

        Assert.True(Selects(api["spec"]!["podSelector"]!["matchLabels"], PodLabels));
        var peer = api["spec"]!["ingress"]!.AsArray().Single()!["from"]!.AsArray().Single()!;
        Assert.NotNull(peer["namespaceSelector"]);
        Assert.NotNull(peer["podSelector"]);

        // And so the client's address is the one the controller forwards: the audit log's, and the one the failed-key limit counts by.
        var config = Load("configmap.yaml");
        Assert.Contains(Api["envFrom"]!.AsArray(), e => e!["configMapRef"]?["name"]?.GetValue<string>() == config["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("true", config["data"]!["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]!.GetValue<string>());
    }

    [Fact]
    public void Secret_Template_Has_One_Placeholder_Per_File_The_Api_Reads()
    {
        var secret = Load("templates/secret.yaml");

        var data = secret["stringData"]!.AsObject();
        Assert.Equal(["Auth__AdminKey", "ConnectionStrings__Mongo"], data.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.All(data, kv => Assert.Contains("REPLACE_ME", kv.Value!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(Api["volumeMounts"]!.AsArray().Single(m => m!["mountPath"]!.GetValue<string>() == "/run/secrets")!["name"]!.GetValue<string>(),
            PodSpec["volumes"]!.AsArray().Single(v => v!["secret"]?["secretName"]?.GetValue<string>() == secret["metadata"]!["name"]!.GetValue<string>())!["name"]!.GetValue<string>());
    }

    [Fact]
    public void No_Manifest_Applied_By_Kustomize_Carries_A_Secret()
    {
        var kustomization = Yaml.Single(Path.Combine(Repository.K8s, "kustomization.yaml"));

        var kinds = kustomization["resources"]!.AsArray()
            .SelectMany(r => Yaml.DocumentsOf(Path.Combine(Repository.K8s, r!.GetValue<string>())))
            .Select(m => m["kind"]!.GetValue<string>());

        Assert.DoesNotContain("Secret", kinds);
    }
}
