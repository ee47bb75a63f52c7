using System.Text;
using System.Text.Json;
using Disclosure.Api.Features.Submissions;
using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using Microsoft.AspNetCore.Http;

namespace Disclosure.Api.Tests;

/// <summary>
/// The hand-written writer of submission views: through <see cref="JsonBodies.WriteAsync"/>, with the service's options,
/// it writes exactly the bytes System.Text.Json writes for the same view.
/// </summary>
public sealed class SubmissionViewWriterTests
{
    private static readonly JsonBodies.BodyWriter[] ViewWriter = [SubmissionViewWriter.TryWrite];

    private static byte[] Written(object dto, JsonBodies.BodyWriter[] writers)
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var task = JsonBodies.WriteAsync(context.Response, dto, "application/json", Json.Options, writers, TestContext.Current.CancellationToken);
        Assert.True(task.IsCompletedSuccessfully);
        return body.ToArray();
    }

    private static void AssertWrittenAsTheSerializerWrites(SubmissionView view)
    {
        var expected = Written(view, []);
        var actual = Written(view, ViewWriter);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);
    }

    private static SubmissionView View(IReadOnlyList<ValueItem> values, IReadOnlyList<string>? derived = null, IReadOnlyList<Violation>? warnings = null) => new()
    {
        Id = Guid.Parse("0198f0c2-5b7e-7a3c-9d41-2f6e8a1b4c5d"),
        Reporter = "town-a",
        Catalogue = "gov-info-disclosure-2014",
        Period = "2014Q3",
        Revision = 3,
        ReceivedAt = new DateTimeOffset(2014, 10, 15, 8, 30, 12, TimeSpan.Zero).AddTicks(1234567),
        Values = values,
        Derived = derived ?? [],
        Warnings = warnings ?? [],
    };

    [Fact]
    public void A_View_Of_The_Seed_Table_With_Derived_Parents_And_Warnings_Is_Written_As_The_Serializer_Writes_It()
    {
        // The seed table with sum parents left blank (the engine derives them), two of them larger than 3.1 (C4, C5).
        var catalogues = CatalogueRegistry.LoadEmbedded();
        var input = SeedTable.Values
            .Where(v => v.Key is not ("7" or "3.2" or "3.3"))
            .Select(v => new InputValue(v.Key, v.Key switch { "3.2.1" => 61, "3.3.1" => 11, _ => v.Value }))
            .ToList();
        var table = TableValidator.Validate(catalogues["gov-info-disclosure-2014"], "2014", input);
        Assert.False(table.HasErrors);
        var submission = new Submission(Guid.CreateVersion7(), "town-a", "gov-info-disclosure-2014", "2014", 1,
            new DateTimeOffset(2015, 1, 31, 23, 59, 59, 999, TimeSpan.FromHours(8)),
            SubmissionJudge.ToStored(table), [.. table.Warnings], Guid.NewGuid());
        var view = SubmissionView.From(submission, catalogues);
        Assert.Equal(["3.2", "3.3", "7"], view.Derived.Order());
        Assert.Equal(["C4", "C5"], view.Warnings.Select(w => w.Rule).Order());
        Assert.Contains(view.Values, v => v.Unit == "万元");
        // So the writer reads the stored values and the catalogue's pre-encoded codes and units, which this compares with
        // the serializer's writing of the items.
        var items = Assert.IsType<TableItems>(view.Values);
        Assert.NotNull(items.Catalogue);
        Assert.All(Enumerable.Range(0, items.Count), k => Assert.Equal(items.Stored(k).Code, items.Cell(k)!.Code));

        AssertWrittenAsTheSerializerWrites(view);

        // The judged values carry their cells, which the view takes instead of looking them up; the same values in a plain
        // list (as a store that copied them would return them) are looked up, and written the same.
        Assert.IsType<JudgedValues>(submission.Values);
        var judged = (JudgedValues)submission.Values;
        Assert.All(Enumerable.Range(0, items.Count), k => Assert.Same(judged.Cells[k], items.Cell(k)));
        var expected = Written(view, ViewWriter);
        var copied = submission with { Values = [.. submission.Values] };
        Assert.IsNotType<JudgedValues>(copied.Values);
        Assert.Equal(expected, Written(SubmissionView.From(copied, catalogues), ViewWriter));
        // Judged with a catalogue that is not the registry's own of that id (a catalogue since reloaded, say), the carried
        // cells are not taken: each value is looked up in the registry's.
        var other = CatalogueRegistry.LoadEmbedded();
        var reloaded = SubmissionView.From(submission, other);
        var reloadedItems = Assert.IsType<TableItems>(reloaded.Values);
        Assert.All(Enumerable.Range(0, reloadedItems.Count), k => Assert.Same(other["gov-info-disclosure-2014"].Cells[reloadedItems.Cell(k)!.Index], reloadedItems.Cell(k)));
        Assert.Equal(expected, Written(reloaded, ViewWriter));
    }

    [Theory]
    [InlineData("gov-info-disclosure-2014")]
    [InlineData("a-catalogue-since-removed")]
    public void A_Stored_Table_Out_Of_Table_Order_With_A_Code_The_Catalogue_Lacks_Is_Written_In_Table_Order_As_The_Serializer_Writes_It(string catalogueId)
    {
        var catalogues = CatalogueRegistry.LoadEmbedded();
        var submission = new Submission(Guid.CreateVersion7(), "town-a", catalogueId, "2014", 2, DateTimeOffset.UnixEpoch,
            [new("7.1", 212, false), new("no-such-code", 5, false), new("1.1", 11841.50m, false), new("7", 604, true), new("1.1.a", 3, false)],
            [], Guid.NewGuid());
        var view = SubmissionView.From(submission, catalogues);
        Assert.Equal(catalogueId == "a-catalogue-since-removed" ? ["7.1", "no-such-code", "1.1", "7", "1.1.a"] : ["1.1", "1.1.a", "7", "7.1", "no-such-code"],
            view.Values.Select(v => v.Code));
        Assert.Equal(["7"], view.Derived);
        AssertWrittenAsTheSerializerWrites(view);
    }

    [Fact]
    public void A_Stored_Table_Whose_Every_Code_Is_The_Catalogues_Is_Put_Together_From_Its_Cells_Bytes_As_The_Serializer_Writes_It()
    {
        // Every value has its cell, so the values array is assembled from each cell's pre-encoded bytes and the numbers
        // formatted alone: whole numbers and decimals of every scale and sign, and the largest and smallest decimals.
        var catalogues = CatalogueRegistry.LoadEmbedded();
        decimal[] numbers = [11841m, 11841.50m, 0m, 0.0m, -0m, -0.00m, 0.5m, 12.00m, -1.5m, decimal.MaxValue, decimal.MinValue,
            0.0000000000000000000000000001m, long.MaxValue, (decimal)long.MaxValue + 1, long.MinValue, (decimal)long.MinValue - 1];
        var cells = catalogues["gov-info-disclosure-2014"].Cells;
        var values = numbers.Select((n, i) => new StoredValue(cells[i].Code, n, i % 4 == 0)).ToList();
        var submission = new Submission(Guid.CreateVersion7(), "town-a", "gov-info-disclosure-2014", "2014", 2, DateTimeOffset.UnixEpoch,
            values, [], Guid.NewGuid());

        var view = SubmissionView.From(submission, catalogues);

        var items = Assert.IsType<TableItems>(view.Values);
        Assert.All(Enumerable.Range(0, items.Count), k => Assert.Same(cells[k], items.Cell(k)));
        AssertWrittenAsTheSerializerWrites(view);
        Assert.Contains($"{{\"code\":\"{cells[1].Code}\",\"value\":11841.50,\"unit\":", Encoding.UTF8.GetString(Written(view, ViewWriter)));
    }

    [Fact]
    public void Tricky_Decimals_Units_And_Strings_Are_Written_As_The_Serializer_Writes_Them()
    {
        decimal[] decimals = [0m, 0.0m, 0.5m, 0.50m, 1.25m, 120m, 12.00m, 12.0m, -0m, -0.00m, decimal.Negate(0m), -1.5m,
            decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 1e-28m * 5, 999_999_999_999m, 7.9228162514264337593543950335m,
            long.MaxValue, (decimal)long.MaxValue + 1, long.MinValue, (decimal)long.MinValue - 1, 11841m, -5m];
        var values = decimals.Select((d, i) => new ValueItem { Code = $"{i + 1}.1", Value = d, Unit = i % 3 == 0 ? null : i % 3 == 1 ? "万元" : "件" }).ToList();
        values.Add(new ValueItem { Code = "blank", Value = null, Unit = "条" });
        values.Add(new ValueItem { Code = null, Value = 1, Unit = null });
        values.Add(new ValueItem());
        const string nasty = "q\"b\\s/<a href='x'>&amp;+`\u0000\u0001\u001f\u007f\t\n\r\u2028\u2029\ud83d\ude00é主动公开\ufeff";
        values.Add(new ValueItem { Code = nasty, Value = 2.50m, Unit = nasty });
        var warnings = new List<Violation>
        {
            new(RuleIds.Sum, Severity.Warning, ["3.1", nasty], null, null, "more \"closed\" than <received>", "申请办结数多于收到申请数：仅在有上年结转申请时才可能出现"),
            new("C4", Severity.Error, [], "<= 60", "61", nasty, nasty),
            new("", Severity.Warning, [], "", null, "", ""),
        };

        AssertWrittenAsTheSerializerWrites(View(values, ["3.2", nasty, "\ud83d\udcca"], warnings));
    }

    [Fact]
    public void Empty_Lists_Are_Written_As_The_Serializer_Writes_Them() =>
        AssertWrittenAsTheSerializerWrites(View([]));

    [Fact]
    public void Random_Views_Are_Written_As_The_Serializer_Writes_Them()
    {
        var random = new Random(2014);
        string[] pieces = ["1", "3.3.4.a", ".", "万元", "件", "条", "人次", "申请", " ", "\"", "\\", "<", ">", "&", "'", "+", "\u0000", "\u001b",
            "\n", "\u007f", "\u00a0", "\u2028", "\ud83d\ude00", "\ud840\udc00", "é", "A", "z"];
        string RandomString(int maxPieces)
        {
            var builder = new StringBuilder();
            for (var n = random.Next(maxPieces + 1); n > 0; n--) builder.Append(pieces[random.Next(pieces.Length)]);
            return builder.ToString();
        }
        string? MaybeNull(string value) => random.Next(5) == 0 ? null : value;
        decimal RandomDecimal() => random.Next(4) switch
        {
            0 => random.Next(-1000, 1_000_000),
            1 => new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, (byte)random.Next(29)),
            2 => new decimal(random.Next(100_000), 0, 0, random.Next(10) == 0, (byte)random.Next(5)),
            _ => decimal.Round(random.Next(1_000_000) / 100m, random.Next(3)),
        };

        for (var i = 0; i < 3000; i++)
        {
            var values = Enumerable.Range(0, random.Next(80))
                .Select(_ => new ValueItem
                {
                    Code = MaybeNull(RandomString(3)),
                    Value = random.Next(6) == 0 ? null : RandomDecimal(),
                    Unit = MaybeNull(RandomString(1)),
                })
                .ToList();
            var derived = Enumerable.Range(0, random.Next(4)).Select(_ => RandomString(3)).ToList();
            var warnings = Enumerable.Range(0, random.Next(4))
                .Select(_ => new Violation(RandomString(2), random.Next(2) == 0 ? Severity.Error : Severity.Warning,
                    Enumerable.Range(0, random.Next(3)).Select(_ => RandomString(3)).ToList(),
                    MaybeNull(RandomString(3)), MaybeNull(RandomString(3)), RandomString(8), RandomString(8)))
                .ToList();
            var view = new SubmissionView
            {
                Id = new Guid(random.Next(), (short)random.Next(), (short)random.Next(), [.. Enumerable.Range(0, 8).Select(_ => (byte)random.Next(256))]),
                Reporter = RandomString(4),
                Catalogue = RandomString(4),
                Period = RandomString(2),
                Revision = random.Next(0, int.MaxValue),
                ReceivedAt = new DateTimeOffset(DateTime.UnixEpoch.Ticks + random.NextInt64(100L * 365 * TimeSpan.TicksPerDay), TimeSpan.FromMinutes(15 * random.Next(-48, 57))),
                Values = values,
                Derived = derived,
                Warnings = warnings,
            };
            AssertWrittenAsTheSerializerWrites(view);
        }
    }

    [Fact]
    public void Only_A_Submission_View_Is_Taken_And_Anything_Else_Is_Left_To_The_Serializer()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        Assert.False(SubmissionViewWriter.TryWrite(writer, new ValueItem { Code = "1", Value = 1 }, Json.Options));
        Assert.False(SubmissionViewWriter.TryWrite(writer, new object(), Json.Options));
        writer.Flush();
        Assert.Equal(0, buffer.WrittenCount);
        Assert.True(SubmissionViewWriter.TryWrite(writer, View([]), Json.Options));

        var item = new ValueItem { Code = "1", Value = 1.50m, Unit = "万元" };
        Assert.Equal(Written(item, []), Written(item, ViewWriter));
    }
}
