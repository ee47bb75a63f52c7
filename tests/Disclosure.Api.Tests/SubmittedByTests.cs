using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

/// <summary>
/// Each revision says who submitted it (<c>submittedBy</c>: the key's id and role), so that a town sees which revision the
/// district office entered on its behalf, and the office can show an audit which figures it keyed in itself (留痕).
/// </summary>
public sealed class SubmittedByTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly KeyValuePair<string, decimal?>[] Table = [new("12.2", 120)];

    private async Task<JsonElement> SubmittedAsync(HttpClient client, string reporter, decimal value)
    {
        var response = await SubmitAsync(client, reporter, "2014", [new("12.2", value)]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static (Guid KeyId, string? Role) Who(JsonElement revision)
    {
        var by = revision.GetProperty("submittedBy");
        return (by.GetProperty("keyId").GetGuid(), by.TryGetProperty("role", out var role) ? role.GetString() : null);
    }

    private async Task<JsonElement> ReadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task Each_Revision_Names_The_Key_That_Sent_It_And_Whether_It_Was_The_Office_Or_The_Reporter()
    {
        var town = await CreateReporterAsync("town");
        var (ownId, ownKey) = await CreateKeyAsync("reporter", town);
        var (secondId, secondKey) = await CreateKeyAsync("reporter", town);
        var own = Factory.Client(ownKey);

        var first = await SubmittedAsync(own, town, 120);
        var second = await SubmittedAsync(Admin, town, 121);
        var third = await SubmittedAsync(Factory.Client(secondKey), town, 122);

        // The town reads its own list: revision 2 entered by the district office (the configured admin key), 1 and 3 by its own keys.
        var items = (await ReadAsync(own, $"/v1/submissions?reporter={town}&catalogue={Catalogue2014}&period=2014")).GetProperty("items");
        Assert.Equal([(ownId, "reporter"), (ApiKeys.ConfiguredAdminKeyId, "admin"), (secondId, "reporter")], items.EnumerateArray().Select(Who));
        Assert.Equal(new[] { first, second, third }.Select(s => s.GetProperty("id").GetGuid()), items.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(items.EnumerateArray().Select(Who), (await RevisionsAsync(town, "2014")).EnumerateArray().Select(Who));

        // Each revision read by id says the same, to the town and to the office.
        foreach (var (submitted, who) in new[] { (first, (ownId, "reporter")), (second, (ApiKeys.ConfiguredAdminKeyId, "admin")), (third, (secondId, "reporter")) })
        {
            var url = $"/v1/submissions/{submitted.GetProperty("id").GetGuid()}";
            var read = await ReadAsync(own, url);
            Assert.Equal(who, Who(read));
            Assert.Equal(submitted.GetProperty("revision").GetInt32(), read.GetProperty("revision").GetInt32());
            Assert.Equal(submitted.GetProperty("values").GetRawText(), read.GetProperty("values").GetRawText());
            Assert.Equal(who, Who(await ReadAsync(Admin, url)));
        }
    }

    [Fact]
    public async Task A_Reporters_List_Of_Tables_Names_Who_Submitted_Each_Latest_Revision()
    {
        var town = await CreateReporterAsync("town");
        var (ownId, ownKey) = await CreateKeyAsync("reporter", town);
        var own = Factory.Client(ownKey);
        await SubmittedAsync(own, town, 120);
        Item(await ReadAsync(own, $"/v1/reporters/{town}/periods"), out var mine);
        Assert.Equal((ownId, "reporter"), Who(mine));

        // The office corrects the table: the town's own list says the latest revision is the office's.
        await SubmittedAsync(Admin, town, 121);
        Item(await ReadAsync(own, $"/v1/reporters/{town}/periods"), out var corrected);
        Assert.Equal(2, corrected.GetProperty("revision").GetInt32());
        Assert.Equal((ApiKeys.ConfiguredAdminKeyId, "admin"), Who(corrected));

        static void Item(JsonElement list, out JsonElement item) => item = list.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == "2014");
    }

    [Fact]
    public async Task A_Key_Revoked_Since_Still_Names_Its_Role()
    {
        var town = await CreateReporterAsync("town");
        var (lostId, lostKey) = await CreateKeyAsync("reporter", town);
        var (_, newKey) = await CreateKeyAsync("reporter", town);
        var first = await SubmittedAsync(Factory.Client(lostKey), town, 120);
        var second = await SubmittedAsync(Admin, town, 121);

        // The key is lost and revoked; the town signs in with its new one.
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/keys/{lostId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.Client(lostKey).GetAsync($"/v1/submissions/{first.GetProperty("id").GetGuid()}", Ct)).StatusCode);
        var ownNow = Factory.Client(newKey);

        var items = (await ReadAsync(ownNow, $"/v1/submissions?reporter={town}&catalogue={Catalogue2014}&period=2014")).GetProperty("items");
        Assert.Equal([(lostId, "reporter"), (ApiKeys.ConfiguredAdminKeyId, "admin")], items.EnumerateArray().Select(Who));
        Assert.Equal((lostId, "reporter"), Who(await ReadAsync(ownNow, $"/v1/submissions/{first.GetProperty("id").GetGuid()}")));
        Assert.Equal((ApiKeys.ConfiguredAdminKeyId, "admin"), Who(await ReadAsync(Admin, $"/v1/submissions/{second.GetProperty("id").GetGuid()}")));
    }

    [Fact]
    public async Task A_Viewer_Reads_Who_Submitted_And_A_Reporter_Key_Still_May_Not_Read_Another_Reporters_Revisions()
    {
        var town = await CreateReporterAsync("town");
        var other = await CreateReporterAsync("town");
        var (_, ownKey) = await CreateKeyAsync("reporter", town);
        var (_, viewerKey) = await CreateKeyAsync("viewer");
        var corrected = await SubmittedAsync(Admin, other, 5);

        var own = Factory.Client(ownKey);
        await ProblemAsync(await own.GetAsync($"/v1/submissions?reporter={other}&catalogue={Catalogue2014}&period=2014", Ct), 403);
        await ProblemAsync(await own.GetAsync($"/v1/submissions/{corrected.GetProperty("id").GetGuid()}", Ct), 403);

        var viewer = Factory.Client(viewerKey);
        var items = (await ReadAsync(viewer, $"/v1/submissions?reporter={other}&catalogue={Catalogue2014}&period=2014")).GetProperty("items");
        Assert.Equal([(ApiKeys.ConfiguredAdminKeyId, "admin")], items.EnumerateArray().Select(Who));
        Assert.Equal((ApiKeys.ConfiguredAdminKeyId, "admin"), Who(await ReadAsync(viewer, $"/v1/submissions/{corrected.GetProperty("id").GetGuid()}")));
    }

    [Fact]
    public async Task A_Revision_Whose_Key_This_Service_Does_Not_Know_Names_The_Key_Without_A_Role()
    {
        // Stored by another deployment's key (a store moved between services): the id is all there is to say.
        var town = await CreateReporterAsync("town");
        var stranger = Guid.NewGuid();
        var stored = await Factory.Services.GetRequiredService<ISubmissionStore>().AppendAsync(
            new Submission(Guid.CreateVersion7(), town, Catalogue2014, "2014", 0, DateTimeOffset.UtcNow, [new StoredValue("12.2", 1, false)], [], stranger),
            null, null, Ct);

        Assert.Equal([(stranger, null)], (await RevisionsAsync(town, "2014")).EnumerateArray().Select(Who));
        Assert.Equal((stranger, null), Who(await ReadAsync(Admin, $"/v1/submissions/{stored.Submission!.Id}")));
    }

    [Fact]
    public async Task The_Answer_To_A_Submit_Does_Not_Say_Who_Submitted_It()
    {
        var town = await CreateReporterAsync("town");
        var (_, ownKey) = await CreateKeyAsync("reporter", town);

        var response = await SubmitAsync(Factory.Client(ownKey), town, "2014", Table);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("submittedBy", out _));
    }
}
