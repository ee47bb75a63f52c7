using System.Text.Json.Nodes;
using Disclosure.Catalogue;

namespace Disclosure.Api.Infrastructure.Swagger;

/// <summary>Realistic request bodies for the document, so that "Try it out" starts from something the service accepts.</summary>
public sealed class RequestExamples(CatalogueRegistry catalogues)
{
    public const string SeedCatalogue = "gov-info-disclosure-2014";

    /// <summary>
    /// 峄城区 2014 as published (the reference transcription's <c>yicheng2014</c> column): the non-blank cells of the
    /// district table. The tests check these against the reference file, so the example cannot drift from it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, decimal> Yicheng2014 = new Dictionary<string, decimal>(StringComparer.Ordinal)
    {
        ["1.1"] = 11841, ["1.1.a"] = 3, ["1.1.b"] = 3, ["1.2.1"] = 9876, ["1.2.2"] = 1369, ["1.2.3"] = 17, ["1.2.4"] = 579,
        ["2.1"] = 26, ["2.2.2"] = 17, ["2.2.3"] = 27, ["2.2.4"] = 20, ["2.2.5"] = 61,
        ["3.1"] = 60, ["3.1.1"] = 52, ["3.1.3"] = 5, ["3.1.4"] = 1, ["3.1.5"] = 2, ["3.2"] = 60, ["3.2.1"] = 60,
        ["3.3"] = 60, ["3.3.1"] = 10, ["3.3.2"] = 47, ["3.3.3"] = 3,
        ["4"] = 0, ["5"] = 0, ["6"] = 0, ["7"] = 604, ["7.1"] = 212, ["7.2"] = 392,
        ["8"] = 65, ["8.1"] = 58, ["8.2"] = 7, ["9"] = 19, ["9.1"] = 6, ["9.2"] = 13, ["10"] = 580, ["11"] = 0,
        ["12.1"] = 11, ["12.2"] = 19, ["12.3"] = 80, ["12.3.1"] = 32, ["12.3.2"] = 48,
        ["13.1"] = 15, ["13.2"] = 19, ["13.3"] = 206,
    };

    /// <summary>The seed table as a submission body, in the catalogue's cell order; money cells name their unit.</summary>
    public JsonObject Submission()
    {
        var catalogue = catalogues[SeedCatalogue];
        var values = new JsonArray();
        foreach (var cell in catalogue.Cells)
        {
            if (!Yicheng2014.TryGetValue(cell.Code, out var value)) continue;
            var item = new JsonObject { ["code"] = cell.Code, ["value"] = value };
            if (cell.Unit == "万元") item["unit"] = cell.Unit;
            values.Add(item);
        }
        return new JsonObject
        {
            ["reporter"] = "yicheng-district",
            ["period"] = "2014",
            ["catalogue"] = SeedCatalogue,
            ["values"] = values,
        };
    }

    /// <summary>The example body of an operation, by operation id; null where the body has nothing worth showing.</summary>
    public JsonNode? For(string operationId) => operationId switch
    {
        "Submissions_Submit" or "Submissions_Validate" => Submission(),
        "Reporters_Create" => new JsonObject { ["id"] = "yicheng-edu", ["name"] = "峄城区教育局", ["kind"] = "department" },
        "Keys_Create" => new JsonObject { ["role"] = "reporter", ["reporter"] = "yicheng-edu" },
        "Reporters_Rename" => new JsonObject { ["name"] = "坛山街道办事处" },
        "Submissions_Review" => new JsonObject { ["decision"] = "returned", ["comment"] = "3.1 收到申请数与其分项之和不符，请核实后重新报送。" },
        "Periods_Update" => new JsonObject
        {
            ["deadline"] = "2015-01-31T16:00:00+00:00",
            ["expectedReporters"] = new JsonArray("yicheng-district", "yicheng-edu"),
        },
        _ => null,
    };
}
