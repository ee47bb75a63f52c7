using System.Text;
using System.Text.Json;
using Disclosure.Api.Features.Submissions;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>
/// The fast reader of submission bodies: what it reads equals what System.Text.Json builds with the service's options,
/// and whatever is not the plain shape it declines, so that the serializer (and its error messages) takes over.
/// </summary>
public sealed class SubmissionBodyReaderTests
{
    private static string Normalised(object? body) => JsonSerializer.Serialize(body, Json.Options);

    private static void AssertReadAsTheSerializerDoes(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(SubmissionBodyReader.TryRead(bytes, typeof(SubmitRequest), out var fast), $"declined: {json}");
        var expected = JsonSerializer.Deserialize<SubmitRequest>(bytes, Json.Options);
        Assert.IsType<SubmitRequest>(fast);
        Assert.Equal(Normalised(expected), Normalised(fast));
    }

    [Theory]
    [InlineData("""{"reporter":"town-a","period":"2014","catalogue":"gov-info-disclosure-2014","values":[{"code":"1.1","value":11841},{"code":"2.2.1","value":null}]}""")]
    [InlineData("""{"Values":[{"Code":"7","VALUE":12.50,"unit":"万元"}],"CATALOGUE":"c","Reporter":"r","expectedrevision":3,"period":null}""")]
    [InlineData("""{ "reporter" : "r\u002d1", "values" : [ { "value" : 1e2 , "code" : "3.1" } , { "code" : "3.2" } ] , "expectedRevision" : null }""")]
    [InlineData("""{"values":[]}""")]
    [InlineData("""{"values":null,"reporter":null}""")]
    [InlineData("""{}""")]
    [InlineData("""{"values":[{"code":"1","value":-0.00},{"code":"2","value":79228162514264337593543950335}]}""")]
    [InlineData("""{"\u0072eporter":"r","values":[{"c\u006fde":"1"}]}""")]
    public void Plain_Bodies_Are_Read_Exactly_As_The_Serializer_Reads_Them(string json) => AssertReadAsTheSerializerDoes(json);

    [Theory]
    [InlineData("""{"reporter":"r","extra":1}""")]
    [InlineData("""{"reporter":"r","reporter":"s"}""")]
    [InlineData("""{"values":[{"code":"1","value":"12"}]}""")]
    [InlineData("""{"values":[{"code":"1","value":12,"value":13}]}""")]
    [InlineData("""{"values":[null]}""")]
    [InlineData("""{"values":[{"code":1}]}""")]
    [InlineData("""{"values":[{"code":"1","value":1e400}]}""")]
    [InlineData("""{"values":{"code":"1"}}""")]
    [InlineData("""{"expectedRevision":1.5}""")]
    [InlineData("""{"expectedRevision":"1"}""")]
    [InlineData("""{"reporter":"r"} {}""")]
    [InlineData("""{"reporter":"r",}""")]
    [InlineData("""{"reporter":"r\""")]
    [InlineData("""{"reporter":"\ud800"}""")]
    [InlineData("""{"values":[{"code":"\udc00x"}]}""")]
    [InlineData("""[]""")]
    [InlineData("""null""")]
    [InlineData("")]
    public void Anything_But_The_Plain_Shape_Is_Left_To_The_Serializer(string json) =>
        Assert.False(SubmissionBodyReader.TryRead(Encoding.UTF8.GetBytes(json), typeof(SubmitRequest), out _));

    [Fact]
    public void A_Code_Read_Again_Is_The_Same_String_And_Every_Other_Code_Is_Read_As_Written()
    {
        const string longCode = "a-code-of-forty-characters-0123456789ab";
        var body = $$$"""{"values":[{"code":"2.3.1"},{"code":"2.\u0033.1"},{"code":"{{{longCode}}}"},{"code":"税"}]}""";
        Assert.True(SubmissionBodyReader.TryRead(Encoding.UTF8.GetBytes(body), typeof(SubmitRequest), out var first));
        Assert.True(SubmissionBodyReader.TryRead(Encoding.UTF8.GetBytes(body), typeof(SubmitRequest), out var second));
        var a = ((SubmitRequest)first!).Values!;
        var b = ((SubmitRequest)second!).Values!;
        Assert.Equal(["2.3.1", "2.3.1", longCode, "税"], a.Select(v => v!.Code));
        Assert.Same(a[0]!.Code, b[0]!.Code);
        Assert.Same(a[3]!.Code, b[3]!.Code);
        AssertReadAsTheSerializerDoes(body);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("11841")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-5")]
    [InlineData("-0")]
    [InlineData("10.0")]
    [InlineData("1E2")]
    [InlineData("0.50")]
    public void A_Number_Has_The_Very_Decimal_The_Serializer_Reads(string number)
    {
        var json = Encoding.UTF8.GetBytes($$"""{"values":[{"code":"1.1","value":{{number}}}]}""");
        Assert.True(SubmissionBodyReader.TryRead(json, typeof(SubmitRequest), out var fast));
        var expected = JsonSerializer.Deserialize<SubmitRequest>(json, Json.Options)!.Values![0]!.Value!.Value;
        var actual = ((SubmitRequest)fast!).Values![0]!.Value!.Value;
        // Bits, not equality: 10.0 equals 10 but is written back as 10.0.
        Assert.Equal(decimal.GetBits(expected), decimal.GetBits(actual));
    }

    [Fact]
    public void A_Code_That_Is_Not_Valid_Utf8_Is_Left_To_The_Serializer()
    {
        byte[] json = [.. "{\"values\":[{\"code\":\""u8, 0xFF, 0x31, .. "\"}]}"u8];
        Assert.False(SubmissionBodyReader.TryRead(json, typeof(SubmitRequest), out _));
        Assert.ThrowsAny<Exception>(() => JsonSerializer.Deserialize<SubmitRequest>(json, Json.Options));
    }

    [Fact]
    public void A_Type_That_Is_Not_A_Plain_Submission_Body_Is_Left_To_The_Serializer() =>
        Assert.False(SubmissionBodyReader.TryRead("{}"u8, typeof(ValueItem), out _));

    /// <summary><paramref name="count"/> copies of <paramref name="body"/>, each with one to <paramref name="maxEdits"/> characters removed, inserted or replaced.</summary>
    private static IEnumerable<byte[]> RandomEdits(string body, string alphabet, int seed, int count, int maxEdits)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var chars = body.ToCharArray().ToList();
            for (var edits = random.Next(1, maxEdits + 1); edits > 0; edits--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }
            yield return Encoding.UTF8.GetBytes(new string([.. chars]));
        }
    }

    [Fact]
    public void Random_Edits_Of_A_Body_Are_Either_Declined_Or_Read_As_The_Serializer_Reads_Them()
    {
        // Single-character edits of a real body: whatever the fast reader accepts, the serializer must accept and
        // build the same; nothing may throw out of the fast reader.
        const string body = """{"reporter":"town-a","period":"2014Q3","catalogue":"gov-info-disclosure-2014","expectedRevision":2,"values":[{"code":"1.1","value":11841,"unit":"件"},{"code":"6.1","value":0.25},{"code":"2.2.1","value":null}]}""";
        var accepted = 0;
        foreach (var bytes in RandomEdits(body, "{}[]\",:0123456789.-eEnulltrfasx \\", seed: 2014, count: 5000, maxEdits: 1))
        {
            if (!SubmissionBodyReader.TryRead(bytes, typeof(SubmitRequest), out var fast)) continue;
            accepted++;
            var expected = JsonSerializer.Deserialize<SubmitRequest>(bytes, Json.Options);
            Assert.Equal(Normalised(expected), Normalised(fast));
        }
        Assert.InRange(accepted, 1, 4999);
    }

    private static void AssertScannedAsTheSerializerReads(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var scanned = new SubmitRequest();
        Assert.True(SubmissionBodyScanner.TryRead(bytes, scanned), $"declined: {json}");
        Assert.Equal(Normalised(JsonSerializer.Deserialize<SubmitRequest>(bytes, Json.Options)), Normalised(scanned));
    }

    [Theory]
    [InlineData("""{"reporter":"town-a","period":"2014","catalogue":"gov-info-disclosure-2014","expectedRevision":3,"values":[{"code":"1.1","value":11841},{"code":"2.2.1","value":null},{"value":0,"unit":"件","code":"税"}]}""")]
    [InlineData(" {\r\n\t\"values\" : [ { \"code\" : \"1.1\" , \"value\" : 7 } , {} ] , \"reporter\" : null } \n")]
    [InlineData("""{"values":[],"expectedRevision":null,"period":null,"catalogue":null}""")]
    [InlineData("""{"values":null}""")]
    [InlineData("""{"values":[{"code":"1","value":999999999999999999}]}""")]
    [InlineData("""{}""")]
    public void The_Scanner_Reads_The_Common_Form_As_The_Serializer_Does(string json) => AssertScannedAsTheSerializerReads(json);

    [Theory]
    [InlineData("""{"Reporter":"r"}""")]                          // another casing
    [InlineData("""{"reporter":"r\u002d1"}""")]                  // an escape
    [InlineData("""{"r\u0065porter":"r"}""")]                    // an escaped name
    [InlineData("""{"values":[{"code":"1","value":12.5}]}""")]    // a fraction
    [InlineData("""{"values":[{"code":"1","value":-5}]}""")]      // a sign
    [InlineData("""{"values":[{"code":"1","value":1e2}]}""")]     // an exponent
    [InlineData("""{"values":[{"code":"1","value":1000000000000000000}]}""")] // 19 digits
    [InlineData("""{"values":[{"code":"1","value":012}]}""")]     // a leading zero: not JSON
    [InlineData("""{"values":[{"code":"1","value":1x}]}""")]
    [InlineData("""{"values":[{"code":"1","value":nul}]}""")]
    [InlineData("""{"values":[{"code":"1","value":nullx}]}""")]
    [InlineData("""{"expectedRevision":2147483648}""")]
    [InlineData("""{"expectedRevision":-1}""")]
    [InlineData("""{"reporter":"r","reporter":"s"}""")]
    [InlineData("""{"values":[{"code":"1","code":"2"}]}""")]
    [InlineData("""{"extra":1}""")]
    [InlineData("""{"values":[null]}""")]
    [InlineData("""{"values":[{"code":1}]}""")]
    [InlineData("""{"reporter":"r",}""")]
    [InlineData("""{"values":[{"code":"1"},]}""")]
    [InlineData("""{"reporter":"r"} x""")]
    [InlineData("{\"reporter\":\"r")]                          // a string that does not end
    [InlineData("{\"reporter\":\"a\u0001b\"}")]                 // a control character inside a string
    [InlineData("{\"reporter\":\"r\"}\u000b")]                   // whitespace JSON does not allow
    [InlineData("""{"reporter" "r"}""")]
    [InlineData("""[]""")]
    [InlineData("")]
    public void The_Scanner_Declines_Every_Other_Form(string json) =>
        Assert.False(SubmissionBodyScanner.TryRead(Encoding.UTF8.GetBytes(json), new SubmitRequest()));

    [Fact]
    public void The_Scanner_Declines_A_String_That_Is_Not_Valid_Utf8()
    {
        byte[] json = [.. "{\"values\":[{\"code\":\"1\",\"unit\":\""u8, 0xE4, 0xBB, .. "\"}]}"u8];
        Assert.False(SubmissionBodyScanner.TryRead(json, new SubmitRequest()));
    }

    [Fact]
    public void Random_Edits_Of_A_Body_Are_Either_Declined_By_The_Scanner_Or_Scanned_As_The_Serializer_Reads_Them()
    {
        // As the test above, but of the scanner alone, with the whitespace and the characters its grammar turns on.
        const string body = """{"reporter":"town-a","period":"2014Q3","catalogue":"gov-info-disclosure-2014","expectedRevision":2,"values":[{"code":"1.1","value":11841,"unit":"件"},{"code":"6.1","value":0},{"code":"2.2.1","value":null}]}""";
        var accepted = 0;
        foreach (var bytes in RandomEdits(body, "{}[]\",:0123456789.-eEnulltrfasx \\\t\r\n\u000b件", seed: 2015, count: 20000, maxEdits: 2))
        {
            var scanned = new SubmitRequest();
            if (!SubmissionBodyScanner.TryRead(bytes, scanned)) continue;
            accepted++;
            Assert.Equal(Normalised(JsonSerializer.Deserialize<SubmitRequest>(bytes, Json.Options)), Normalised(scanned));
        }
        Assert.InRange(accepted, 1000, 19999);
    }

    [Fact]
    public void A_Shared_String_Is_The_Same_Instance_Each_Time_And_Every_String_Reads_As_Written()
    {
        var shared = new SharedStrings(maxCount: 4);
        var first = shared.Get("3.3.4.a"u8);
        Assert.Equal("3.3.4.a", first);
        Assert.Same(first, shared.Get("3.3.4.a"u8));
        Assert.Same(shared.Get("万元"u8), shared.Get("万元"u8));
        // Past the bound strings are still read right, just no longer shared; the first ones stay shared.
        for (var i = 0; i < 100; i++)
            Assert.Equal($"code-{i}", shared.Get(Encoding.UTF8.GetBytes($"code-{i}")));
        Assert.NotSame(shared.Get("code-99"u8), shared.Get("code-99"u8));
        Assert.Same(first, shared.Get("3.3.4.a"u8));
        var longer = new string('x', 40);
        Assert.Equal(longer, shared.Get(Encoding.UTF8.GetBytes(longer)));
        Assert.NotSame(shared.Get(Encoding.UTF8.GetBytes(longer)), shared.Get(Encoding.UTF8.GetBytes(longer)));
    }
}
