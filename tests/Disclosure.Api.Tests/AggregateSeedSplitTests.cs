using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Catalogue;

namespace Disclosure.Api.Tests;

/// <summary>Owns its host: the district aggregate here is over exactly the 32 reporters this class registers.</summary>
public sealed class AggregateSeedSplitTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task The_Seed_Split_Across_32_Reporters_Aggregates_Back_To_The_Seed_Exactly()
    {
        var catalogue = CatalogueRegistry.LoadEmbedded()[Catalogue2014];
        var shares = SeedSplit.Create();
        Assert.Equal(1 + SeedSplit.Departments + SeedSplit.Towns, shares.Count);
        foreach (var share in shares)
        {
            var verdict = TableValidator.Validate(catalogue, "2014", [.. share.Values.Select(v => new InputValue(v.Key, v.Value))]);
            Assert.Empty(verdict.Violations);
            var reporter = await CreateReporterAsync(share.Kind, $"{share.Kind}-{share.Index:D2}");
            var (_, key) = await CreateKeyAsync("reporter", reporter);
            var response = await SubmitAsync(Factory.Client(key), reporter, "2014", share.Values);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2014", Ct);
        Assert.Empty(table.GetProperty("violations").EnumerateArray());
        var rows = table.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(SeedTable.Rows.Select(r => r.Code), rows.Select(r => r.GetProperty("code").GetString()));
        foreach (var (code, role, value) in SeedTable.Rows)
        {
            var row = rows.Single(r => r.GetProperty("code").GetString() == code);
            Assert.Equal(role, row.GetProperty("role").GetString());
            if (role == "header") continue;
            var total = row.GetProperty("total");
            if (value is null) Assert.True(total.ValueKind == JsonValueKind.Null, $"{code} should be blank but is {total}");
            else Assert.True(total.ValueKind == JsonValueKind.Number && total.GetDecimal() == value, $"{code} should be {value} but is {total}");
        }
        var town82 = rows.Single(r => r.GetProperty("code").GetString() == "8.2");
        Assert.Equal(7, town82.GetProperty("town").GetDecimal());
        Assert.Equal(JsonValueKind.Null, town82.GetProperty("department").ValueKind);
        var completeness = table.GetProperty("completeness");
        Assert.Equal(32, completeness.GetProperty("expected").GetInt32());
        Assert.Equal(32, completeness.GetProperty("submitted").GetInt32());
        Assert.Empty(completeness.GetProperty("missing").EnumerateArray());

        // Resubmitting one reporter changes the next aggregate by exactly the difference.
        var town = shares.First(s => s.Kind == "town");
        var changed = new Dictionary<string, decimal?>(town.Values) { ["13.3"] = (town.Values["13.3"] ?? 0) + 9, ["10"] = (town.Values["10"] ?? 0) + 4 };
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, $"town-{town.Index:D2}", "2014", changed)).StatusCode);
        var after = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2014", Ct)).GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("code").GetString()!, r => r.GetProperty("total"));
        Assert.Equal(SeedTable.Value("13.3") + 9, after["13.3"].GetDecimal());
        Assert.Equal(SeedTable.Value("10") + 4, after["10"].GetDecimal());
        Assert.Equal(SeedTable.Value("13.2"), after["13.2"].GetDecimal());
    }
}
