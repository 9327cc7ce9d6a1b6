// flywheel-bench scenario `segments`.

#include "Scenarios.h"

#include "flywheel/v1/segments.grpc.pb.h"

#include "domain/segments/Expression.h"
#include "domain/segments/ProfileStore.h"

#include <random>
#include <thread>

namespace flywheel::bench {

using namespace std::chrono_literals;

namespace {

/// One million profiles shaped like a shop's users: 40 % have paid, a tenth
/// registered in the last three days, a few tag weights each.
std::vector<flywheel::segments::Profile> millionProfiles(flywheel::segments::Dictionary &dictionary,
                                                         flywheel::segments::Day today)
{
    using namespace flywheel::segments;
    const std::int32_t tags[] = {dictionary.intern("sports"), dictionary.intern("books"), dictionary.intern("beauty"),
                                 dictionary.intern("toys"), dictionary.intern("tech")};
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<Profile> profiles(1000000);
    for (std::size_t i = 0; i < profiles.size(); ++i) {
        Profile &p = profiles[i];
        p.uid = static_cast<std::int64_t>(i) + 1;
        p.registered = true;
        p.registeredDay =
            today - (unit(rng) < 0.1 ? static_cast<Day>(unit(rng) * 4) : 4 + static_cast<Day>(unit(rng) * 700));
        p.lastActiveDay = today - static_cast<Day>(unit(rng) * 30);
        p.activeDays = static_cast<std::uint32_t>(rng());
        p.payCount = unit(rng) < 0.4 ? 1 + static_cast<std::int32_t>(unit(rng) * 20) : 0;
        p.paid = p.payCount > 0;
        for (int t = 0; t < 3; ++t)
            p.tags.push_back(TagWeight{tags[(i + static_cast<std::size_t>(t) * 2) % 5], unit(rng)});
    }
    return profiles;
}

/// Nanoseconds per profile of the fastest of five passes of `matches` over all profiles.
template <typename Matches>
double nsPerProfile(const std::vector<flywheel::segments::Profile> &profiles, const Matches &matches,
                    std::int64_t *count)
{
    double best = 1e18;
    for (int pass = 0; pass < 5; ++pass) {
        const auto started = Clock::now();
        std::int64_t n = 0;
        for (const auto &p : profiles)
            n += matches(p) ? 1 : 0;
        const double ns = std::chrono::duration<double, std::nano>(Clock::now() - started).count();
        best = std::min(best, ns / static_cast<double>(profiles.size()));
        *count = n;
    }
    return best;
}

} // namespace

/// Scenario `segments`: a million profiles built through the event API, previews
/// over them, and the compiled expression against the same predicate in C++.
bool segmentsScenario(Shared &shared)
{
    // Segments through the API: 800,000 new users register and the demo's 200,000
    // users each do something, in batches of 1,000 on two client streams, so that
    // a million profiles exist; then previews over them, timed on the client around
    // the call.
    constexpr int kStreams = 2;
    constexpr std::int64_t kNewUsers = 800000;
    constexpr std::int64_t kDemoUsers = 200000;
    const auto nowSeconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::atomic<std::int64_t> ingestFailures{0};
    const auto ingestStarted = Clock::now();
    {
        std::vector<std::thread> streams;
        for (int stream = 0; stream < kStreams; ++stream) {
            streams.emplace_back([&, stream] {
                auto stub =
                    flywheel::v1::SegmentService::NewStub(shared.client.channels[static_cast<std::size_t>(stream)]);
                grpc::ClientContext context;
                flywheel::v1::IngestEventsResponse response;
                auto writer = stub->StreamEvents(&context, &response);
                const std::int64_t total = (kNewUsers + kDemoUsers) / kStreams;
                std::mt19937_64 rng(static_cast<std::uint64_t>(stream));
                flywheel::v1::IngestEventsRequest batch;
                for (std::int64_t i = 0; i < total; ++i) {
                    const std::int64_t n = i * kStreams + stream;
                    auto *e = batch.add_events();
                    if (n < kNewUsers) {
                        e->set_uid(1000001 + n);
                        e->set_type("register");
                        e->mutable_ts()->set_seconds(nowSeconds - static_cast<std::int64_t>(rng() % (30 * 86400)));
                        (*e->mutable_attrs())["device"] = n % 3 == 0 ? "ios" : "android";
                    } else {
                        e->set_uid(100001 + (n - kNewUsers));
                        e->set_type(n % 4 == 0 ? "share" : "view");
                        e->mutable_ts()->set_seconds(nowSeconds - static_cast<std::int64_t>(rng() % 86400));
                    }
                    (*e->mutable_props())[n % 2 == 0 ? "tag.sports" : "tag.books"] =
                        static_cast<double>(rng() % 1000) / 1000.0;
                    if (batch.events_size() == 1000 || i + 1 == total) {
                        if (!writer->Write(batch))
                            break;
                        batch.Clear();
                    }
                }
                writer->WritesDone();
                const grpc::Status status = writer->Finish();
                if (!status.ok() || response.applied() != total) {
                    std::fprintf(stderr, "flywheel-bench: event stream %d: %s (%lld applied)\n", stream,
                                 status.error_message().c_str(), static_cast<long long>(response.applied()));
                    ++ingestFailures;
                }
            });
        }
        for (auto &t : streams)
            t.join();
    }
    const double ingestSeconds = std::chrono::duration<double>(Clock::now() - ingestStarted).count();
    if (ingestFailures > 0) { // no rate over events that never arrived
        std::fprintf(stderr, "flywheel-bench: %lld of %d event streams failed; the segments scenario stops\n",
                     static_cast<long long>(ingestFailures.load()), kStreams);
        return false;
    }
    std::vector<double> previewMs;
    std::vector<double> previewServerMs;
    std::int64_t previewTotal = 0;
    {
        auto stub = flywheel::v1::SegmentService::NewStub(shared.client.channels.front());
        for (int i = 0; i < 5; ++i) {
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + 60s);
            flywheel::v1::PreviewSegmentRequest request;
            request.set_expression("pay_count >= 1 && days_since_reg <= 3 && tag.sports > 0.5");
            flywheel::v1::PreviewSegmentResponse response;
            const auto sent = Clock::now();
            const grpc::Status s = stub->PreviewSegment(&context, request, &response);
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
            if (!s.ok()) {
                std::fprintf(stderr, "flywheel-bench: PreviewSegment: %s\n", s.error_message().c_str());
                return false;
            }
            if (response.total() != kNewUsers + kDemoUsers) {
                std::fprintf(stderr, "flywheel-bench: the preview counted over %lld profiles, not %lld\n",
                             static_cast<long long>(response.total()), static_cast<long long>(kNewUsers + kDemoUsers));
                return false;
            }
            previewMs.push_back(ms);
            previewServerMs.push_back(response.elapsed_ms());
            previewTotal = response.total();
        }
    }

    // The compiled expression against the same predicate in C++, on the same data.
    flywheel::segments::Dictionary dictionary;
    const flywheel::segments::Day today = flywheel::segments::dayOf(
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    const auto profiles = millionProfiles(dictionary, today);
    auto compiled =
        flywheel::segments::compileExpression("pay_count >= 1 && days_since_reg <= 3 && tag.sports > 0.5", dictionary);
    const auto &expression = std::get<flywheel::segments::Expression>(compiled);
    const std::int32_t sports = dictionary.find("sports");
    std::int64_t compiledCount = 0;
    std::int64_t handCount = 0;
    const double compiledNs = nsPerProfile(
        profiles, [&](const flywheel::segments::Profile &p) { return expression.matches(p, today); }, &compiledCount);
    const double handNs = nsPerProfile(
        profiles,
        [&](const flywheel::segments::Profile &p) {
            return p.payCount >= 1 && p.daysSinceRegistration(today) <= 3 && p.tag(sports) > 0.5;
        },
        &handCount);
    if (compiledCount != handCount) {
        std::fprintf(stderr, "flywheel-bench: the compiled expression matched %lld profiles, C++ %lld\n",
                     static_cast<long long>(compiledCount), static_cast<long long>(handCount));
        return false;
    }

    print("event_ingest_per_s", static_cast<double>(kNewUsers + kDemoUsers) / ingestSeconds);
    print("event_ingest_failed_streams", ingestFailures.load());
    print("segment_preview_profiles", previewTotal);
    print("segment_preview_1m_ms", medianOf(previewMs));
    print("segment_preview_1m_server_ms", medianOf(previewServerMs));
    print("segment_eval_ns_per_profile", compiledNs);
    print("segment_handwritten_ns_per_profile", handNs);
    print("segment_vs_handwritten_ratio", compiledNs / handNs);
    return true;
}

} // namespace flywheel::bench
