using Disclosure.Api.Features.Submissions;

namespace Disclosure.Api.Tests;

/// <summary>
/// What an Idempotency-Key's request is hashed to does not move with how answers are written: a retry sent across an upgrade
/// (its first answer lost) must still be known as the same request, not refused as idempotency-key-reused.
/// </summary>
public sealed class IdempotencyHashTests
{
    [Fact]
    public void A_Request_With_Characters_Answers_Now_Write_Unescaped_Hashes_As_It_Did_Before()
    {
        var body = new SubmissionBody
        {
            Reporter = "gushao-town", Period = "2014", Catalogue = ApiTest.Catalogue2014, IdempotencyKey = "k-1",
            Values = [new() { Code = "12.1", Value = 3 }], Note = "“+”号与 <> & ' 照录",
        };

        var token = SubmissionJudge.Idempotency(body, new Replacing(false, null, null, null, null), "gushao-town")!;

        // The hash of the body as the service wrote it before its answers were unescaped (+ as \u002B, < as \u003C …).
        Assert.Equal("8b5a96f2cabc47ed88d4a3e6361cccdb3c9fdb58c8f83f0d4cc19795ea1d03de", token.RequestHash);
    }
}
