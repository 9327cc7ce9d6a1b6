#include "sim/ReferralSimulator.h"

#include <grpcpp/client_context.h>

#include <chrono>

namespace flywheel {

namespace {

constexpr auto kCallDeadline = std::chrono::seconds(10);
constexpr auto kTick = std::chrono::seconds(1);
const char *const kCampaigns[] = {"spring_sale", "new_user_gift"};
const char *const kChannels[] = {"wechat", "weibo", "sms"};
const char *const kDevices[] = {"ios", "android", "web"};
const char *const kRegions[] = {"Shanghai", "Beijing", "Guangdong", "Zhejiang", "Sichuan"};

void deadline(grpc::ClientContext &context)
{
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
}

bool isRefusal(const grpc::Status &s)
{
    return s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ||
           s.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
           s.error_code() == grpc::StatusCode::UNAUTHENTICATED;
}

} // namespace

ReferralSimulator::ReferralSimulator(std::shared_ptr<grpc::Channel> channel, std::vector<std::int64_t> inviters,
                                     std::vector<std::string> skus, std::vector<std::int64_t> audience)
    : m_referral(v1::ReferralService::NewStub(channel)), m_orders(v1::OrderService::NewStub(channel)),
      m_segments(v1::SegmentService::NewStub(channel)), m_inviters(std::move(inviters)), m_skus(std::move(skus)),
      m_audience(std::move(audience)), m_rng(std::random_device{}())
{
    if (m_audience.empty())
        m_audience = m_inviters;
    // Visitor ids that no earlier run used: ten a second at most since a fixed day.
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    m_nextVisitor = 50'000'000 + (seconds - 1'700'000'000) * 10;
    m_keyPrefix = m_rng();
}

ReferralSimulator::~ReferralSimulator()
{
    stop();
}

void ReferralSimulator::start()
{
    if (m_inviters.empty() || m_skus.empty())
        return;
    m_thread = std::thread([this] { run(); });
}

void ReferralSimulator::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

ReferralSimulator::Stats ReferralSimulator::stats() const
{
    const std::lock_guard lock(m_mutex);
    return m_stats;
}

void ReferralSimulator::failed(const grpc::Status &status)
{
    const std::lock_guard lock(m_mutex);
    if (isRefusal(status)) {
        ++m_stats.refused;
        return;
    }
    ++m_stats.failed;
    m_stats.lastError = status.error_message();
}

void ReferralSimulator::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, kTick, [this] { return m_stopping; });
        if (m_stopping)
            break;
        lock.unlock();
        tick();
        lock.lock();
    }
}

std::int64_t ReferralSimulator::visit(const std::string &code, const std::string &ip, const std::string &device,
                                      bool registerToo)
{
    const std::int64_t visitor = m_nextVisitor++;
    v1::ClickInviteRequest click;
    click.set_ref_code(code);
    click.set_visitor_uid(visitor);
    click.set_ip(ip);
    click.set_device_fingerprint(device);
    v1::InviteToken token;
    grpc::ClientContext clickContext;
    deadline(clickContext);
    if (const grpc::Status s = m_referral->ClickInvite(&clickContext, click, &token); !s.ok()) {
        failed(s);
        return 0;
    }
    {
        const std::lock_guard lock(m_mutex);
        ++m_stats.clicks;
    }
    if (!registerToo)
        return 0;
    v1::RegisterWithInviteRequest reg;
    reg.set_token(token.token());
    reg.set_uid(visitor);
    reg.set_device(kDevices[m_rng() % 3]);
    reg.set_region(kRegions[m_rng() % 5]);
    v1::Registration registration;
    grpc::ClientContext regContext;
    deadline(regContext);
    if (const grpc::Status s = m_referral->RegisterWithInvite(&regContext, reg, &registration); !s.ok()) {
        failed(s);
        return 0;
    }
    {
        const std::lock_guard lock(m_mutex);
        ++m_stats.registrations;
    }
    // Now and then the same token is tried again: refused as a replay.
    if (m_rng() % 10 == 0) {
        grpc::ClientContext replay;
        deadline(replay);
        v1::Registration ignored;
        failed(m_referral->RegisterWithInvite(&replay, reg, &ignored));
    }
    return visitor;
}

void ReferralSimulator::order(std::int64_t uid)
{
    v1::CreateOrderRequest request;
    request.set_uid(uid);
    request.set_channel("app");
    request.set_idempotency_key("refsim-" + std::to_string(m_keyPrefix) + "-" + std::to_string(m_keyCounter++));
    auto *item = request.add_items();
    item->set_sku(m_skus[m_rng() % m_skus.size()]);
    item->set_quantity(1 + static_cast<std::int64_t>(m_rng() % 2));
    v1::Order order;
    grpc::ClientContext context;
    deadline(context);
    if (const grpc::Status s = m_orders->CreateOrder(&context, request, &order); !s.ok()) {
        if (s.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) // out of stock is not a failure
            failed(s);
        return;
    }
    v1::PayOrderRequest pay;
    pay.set_order_id(order.order_id());
    pay.set_idempotency_key("refsim-" + std::to_string(m_keyPrefix) + "-" + std::to_string(m_keyCounter++));
    grpc::ClientContext payContext;
    deadline(payContext);
    if (const grpc::Status s = m_orders->PayOrder(&payContext, pay, &order); !s.ok()) {
        failed(s);
        return;
    }
    const std::lock_guard lock(m_mutex);
    ++m_stats.orders;
}

void ReferralSimulator::review()
{
    // The finance team: pending → reviewing → confirmed → settled, a batch at a time.
    const std::pair<v1::CommissionState, v1::CommissionState> steps[] = {
        {v1::COMMISSION_STATE_CONFIRMED, v1::COMMISSION_STATE_SETTLED},
        {v1::COMMISSION_STATE_REVIEWING, v1::COMMISSION_STATE_CONFIRMED},
        {v1::COMMISSION_STATE_PENDING, v1::COMMISSION_STATE_REVIEWING},
    };
    for (const auto &[from, to] : steps) {
        v1::ListCommissionsRequest list;
        list.add_states(from);
        list.set_limit(20);
        v1::ListCommissionsResponse listed;
        grpc::ClientContext listContext;
        deadline(listContext);
        if (const grpc::Status s = m_referral->ListCommissions(&listContext, list, &listed); !s.ok()) {
            failed(s);
            return;
        }
        v1::TransitionCommissionsRequest request;
        request.set_to(to);
        for (const v1::Commission &c : listed.commissions()) {
            if (m_rng() % 2 == 0)
                request.add_ids(c.id());
        }
        if (request.ids().empty())
            continue;
        v1::TransitionCommissionsResponse response;
        grpc::ClientContext context;
        deadline(context);
        if (const grpc::Status s = m_referral->TransitionCommissions(&context, request, &response); !s.ok()) {
            failed(s);
            continue;
        }
        const std::lock_guard lock(m_mutex);
        for (const v1::TransitionResult &r : response.results())
            m_stats.transitions += r.ok() ? 1 : 0;
    }
}

int ReferralSimulator::shareChance(const std::string &variantKey)
{
    if (variantKey.empty())
        return 25;
    return variantKey == "control" ? 20 : 30;
}

void ReferralSimulator::showCopies()
{
    for (int i = 0; i < kAudiencePerTick && !m_audience.empty(); ++i) {
        const std::int64_t uid = m_audience[m_rng() % m_audience.size()];
        v1::GetInviteLinkRequest request;
        request.set_uid(uid);
        request.set_campaign_id(kCampaigns[0]);
        request.set_channel(kChannels[0]);
        v1::InviteLink link;
        grpc::ClientContext context;
        deadline(context);
        if (const grpc::Status s = m_referral->GetInviteLink(&context, request, &link); !s.ok()) {
            failed(s);
            continue;
        }
        if (static_cast<int>(m_rng() % 100) >= shareChance(link.variant_key()))
            continue;
        v1::RecordShareRequest share;
        share.set_uid(uid);
        share.set_campaign_id(kCampaigns[0]);
        share.set_channel(kChannels[0]);
        v1::RecordShareResponse shared;
        grpc::ClientContext shareContext;
        deadline(shareContext);
        if (const grpc::Status s = m_referral->RecordShare(&shareContext, share, &shared); !s.ok()) {
            failed(s);
            continue;
        }
        {
            const std::lock_guard lock(m_mutex);
            ++m_stats.shares;
        }
        // A share of the better copy brings a registration more often.
        if (static_cast<int>(m_rng() % 100) < shareChance(link.variant_key())) {
            // The inviter was around just now (the activity rule).
            v1::IngestEventsRequest events;
            v1::UserEvent *e = events.add_events();
            e->set_uid(uid);
            e->set_type("login");
            const auto now = std::chrono::system_clock::now().time_since_epoch();
            e->mutable_ts()->set_seconds(std::chrono::duration_cast<std::chrono::seconds>(now).count());
            v1::IngestEventsResponse ignored;
            grpc::ClientContext eventsContext;
            deadline(eventsContext);
            if (const grpc::Status s = m_segments->IngestEvents(&eventsContext, events, &ignored); !s.ok())
                failed(s);
            const std::string ip = "10." + std::to_string(m_rng() % 250) + "." + std::to_string(m_rng() % 250) + "." +
                                   std::to_string(1 + m_rng() % 250);
            if (const std::int64_t invitee = visit(link.ref_code(), ip, "dev-" + std::to_string(m_rng()), true))
                m_invitees.push_back(invitee);
        }
    }
}

void ReferralSimulator::tick()
{
    ++m_ticks;
    showCopies();
    const std::int64_t inviter = m_inviters[m_rng() % m_inviters.size()];
    const std::string campaign = kCampaigns[m_rng() % 2];
    const std::string channel = kChannels[m_rng() % 3];
    // The inviter was around just now (the activity rule), and shares.
    {
        v1::IngestEventsRequest events;
        v1::UserEvent *e = events.add_events();
        e->set_uid(inviter);
        e->set_type("login");
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        e->mutable_ts()->set_seconds(std::chrono::duration_cast<std::chrono::seconds>(now).count());
        v1::IngestEventsResponse ignored;
        grpc::ClientContext context;
        deadline(context);
        if (const grpc::Status s = m_segments->IngestEvents(&context, events, &ignored); !s.ok())
            failed(s);
    }
    v1::GetInviteLinkRequest linkRequest;
    linkRequest.set_uid(inviter);
    linkRequest.set_campaign_id(campaign);
    linkRequest.set_channel(channel);
    v1::InviteLink link;
    grpc::ClientContext linkContext;
    deadline(linkContext);
    if (const grpc::Status s = m_referral->GetInviteLink(&linkContext, linkRequest, &link); !s.ok()) {
        failed(s);
        return;
    }
    v1::RecordShareRequest share;
    share.set_uid(inviter);
    share.set_campaign_id(campaign);
    share.set_channel(channel);
    v1::RecordShareResponse shared;
    grpc::ClientContext shareContext;
    deadline(shareContext);
    if (const grpc::Status s = m_referral->RecordShare(&shareContext, share, &shared); !s.ok())
        failed(s);
    else {
        const std::lock_guard lock(m_mutex);
        ++m_stats.shares;
    }

    // Most shares get a click or two; a good part of the clickers register.
    const int clicks = static_cast<int>(m_rng() % 3);
    for (int i = 0; i < clicks; ++i) {
        const std::string ip = "10." + std::to_string(m_rng() % 250) + "." + std::to_string(m_rng() % 250) + "." +
                               std::to_string(1 + m_rng() % 250);
        const std::string device = "dev-" + std::to_string(m_rng());
        if (const std::int64_t uid = visit(link.ref_code(), ip, device, m_rng() % 10 < 6))
            m_invitees.push_back(uid);
    }
    // Invitees order: first orders and repeat ones.
    if (!m_invitees.empty()) {
        const int orders = 1 + static_cast<int>(m_rng() % 2);
        for (int i = 0; i < orders; ++i)
            order(m_invitees[m_rng() % m_invitees.size()]);
    }
    // A fraud attempt every 20 s or so: a burst from one IP or one device, or a self-invite.
    if (m_ticks % 20 == 7) {
        const std::string ip = "172.16.0." + std::to_string(m_rng() % 250);
        for (int i = 0; i < 6; ++i)
            visit(link.ref_code(), ip, "bot-" + std::to_string(m_rng()), false);
    } else if (m_ticks % 20 == 14) {
        const std::string device = "emulator-" + std::to_string(m_rng() % 1000);
        for (int i = 0; i < 8; ++i)
            visit(link.ref_code(), "192.168." + std::to_string(i) + "." + std::to_string(m_rng() % 250), device, false);
    } else if (m_ticks % 20 == 19) {
        v1::ClickInviteRequest self;
        self.set_ref_code(link.ref_code());
        self.set_visitor_uid(inviter);
        self.set_ip("10.99.0.1");
        self.set_device_fingerprint("self-" + std::to_string(inviter));
        v1::InviteToken ignored;
        grpc::ClientContext context;
        deadline(context);
        failed(m_referral->ClickInvite(&context, self, &ignored));
    }
    if (m_ticks % 5 == 0)
        review();
}

} // namespace flywheel
