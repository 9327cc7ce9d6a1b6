#pragma once

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

#include <array>
#include <cstddef>

namespace flywheel {

/// Puts a unary call's request and response on one protobuf arena, whose first
/// block is part of the holder: a call's messages, their strings and repeated
/// fields then cost one allocation instead of one each, and nothing is freed
/// piece by piece. For the order calls, which carry and answer whole orders.
template <typename Request, typename Response>
class ArenaMessages final : public grpc::MessageAllocator<Request, Response> {
public:
    grpc::MessageHolder<Request, Response> *AllocateMessages() override { return new Holder; }

private:
    class Holder final : public grpc::MessageHolder<Request, Response> {
    public:
        Holder() : m_arena(options(m_block))
        {
            this->set_request(google::protobuf::Arena::CreateMessage<Request>(&m_arena));
            this->set_response(google::protobuf::Arena::CreateMessage<Response>(&m_arena));
        }
        void Release() override { delete this; }

    private:
        static google::protobuf::ArenaOptions options(std::array<char, 4096> &block)
        {
            google::protobuf::ArenaOptions o;
            o.initial_block = block.data();
            o.initial_block_size = block.size();
            return o;
        }
        // Declared before the arena, which uses it until it is destroyed.
        alignas(std::max_align_t) std::array<char, 4096> m_block;
        google::protobuf::Arena m_arena;
    };
};

} // namespace flywheel
